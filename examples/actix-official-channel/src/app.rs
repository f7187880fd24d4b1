//! The service: `POST /webhook` for every Official Channel command. Every event is logged,
//! and messages with a blocked word are refused before delivery.

use std::sync::Arc;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use tencent_chat_webhook_actix::official_channel::{
    BeforeSendMsg, BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_actix::{Answer, Callback, Reply, WebhookConfig, WebhookEvent};

/// The words refused by the moderation demo, lower-cased so that matching ignores case.
#[derive(Debug, Clone)]
struct BlockedWords(Arc<[String]>);

/// The service, for this webhook configuration and these blocked words. `HttpServer` calls
/// this once per worker.
pub fn app(
    config: WebhookConfig,
    blocked_words: &[String],
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    > + use<>,
> {
    let blocked_words = BlockedWords(blocked_words.iter().map(|w| w.to_lowercase()).collect());
    App::new()
        .app_data(config)
        .app_data(web::Data::new(blocked_words))
        // A resource rather than `App::route`, so that other methods get 405, not 404.
        .service(web::resource("/webhook").route(web::post().to(webhook)))
}

async fn webhook(
    blocked_words: web::Data<BlockedWords>,
    Callback(delivery): Callback<WebhookEvent>,
) -> Reply<Answer> {
    tracing::info!("{}", delivery.event);
    Reply(match &delivery.event {
        WebhookEvent::OfficialChannel(OfficialChannelEvent::BeforeSendMsg(msg)) => {
            moderate(msg, &blocked_words.0).into()
        }
        // After-webhooks need no verdict; the other before-webhooks are allowed.
        _ => Answer::ok(),
    })
}

/// Refuses a message whose text contains a blocked word (given in lower case).
fn moderate(msg: &BeforeSendMsg, blocked_words: &[String]) -> BeforeSendMsgReply {
    let blocked = msg.texts().map(str::to_lowercase).any(|text| {
        blocked_words
            .iter()
            .any(|word| text.contains(word.as_str()))
    });
    if blocked {
        BeforeSendMsgReply::Refuse
    } else {
        BeforeSendMsgReply::allow()
    }
}

#[cfg(test)]
mod tests {
    use std::net::{SocketAddr, TcpListener};
    use std::time::Duration;

    use actix_web::HttpServer;
    use actix_web::test::{TestRequest, call_service, init_service};
    use tencent_chat_webhook_actix::official_channel::BeforeSendMsg;
    use tencent_chat_webhook_actix::test_util::{
        self, AUTHENTICATION_FAILED_BODY, DOC_REQUEST_TIME, DOC_SDK_APP_ID, DOC_TOKEN, OK_BODY,
        REFUSED_BODY, WebhookRequest,
    };
    use tencent_chat_webhook_actix::{Answer, WebhookConfig};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::{app, moderate};

    /// A before-send message with one text element, decoded by the library.
    fn message(text: &str) -> BeforeSendMsg {
        let body = format!(
            r#"{{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg","Official_Account":"a",
                "MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":{text:?}}}}}],"EventTime":1}}"#
        );
        let config = WebhookConfig::builder().unsigned_app(1).build().unwrap();
        config
            .receive::<BeforeSendMsg>(
                Some("SdkAppid=1&CallbackCommand=OfficialAccount.CallbackBeforeSendMsg"),
                body.into(),
            )
            .unwrap()
            .event
    }

    #[test]
    fn blocked_words_are_refused_whatever_their_case() {
        let blocked = ["spam".to_owned()];
        let refused = Answer::from(moderate(&message("Buy SPAM now"), &blocked));
        assert_eq!(refused.body(), REFUSED_BODY);
        let allowed = Answer::from(moderate(&message("hello"), &blocked));
        assert_eq!(allowed, Answer::ok());
        assert_eq!(Answer::from(moderate(&message("spam"), &[])), Answer::ok());
    }

    #[actix_web::test]
    async fn other_methods_and_paths_get_the_frameworks_answers() {
        let config = WebhookConfig::builder().unsigned_app(1).build().unwrap();
        let app = init_service(app(config, &[])).await;
        let get = call_service(&app, TestRequest::get().uri("/webhook").to_request()).await;
        assert_eq!(get.status().as_u16(), 405);
        let other = call_service(&app, TestRequest::post().uri("/other").to_request()).await;
        assert_eq!(other.status().as_u16(), 404);
    }

    /// One HTTP/1.1 request on a fresh connection: the status line and the body.
    async fn post(addr: SocketAddr, request: &WebhookRequest) -> (String, String) {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let body = request.body();
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            request.path_and_query("/webhook"),
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("content-type: application/json"), "{head}");
        let status = head.lines().next().unwrap().to_owned();
        (status, body.to_owned())
    }

    /// A documented sample as Tencent sends it for the documented app, signed, with the
    /// text of its message replaced by `text`.
    fn request(sample: &str, text: &str) -> WebhookRequest {
        let sample = test_util::sample(sample).unwrap();
        let body = String::from_utf8(sample.doc_request().body().to_vec()).unwrap();
        let command = sample.callback_command();
        WebhookRequest::raw(
            DOC_SDK_APP_ID,
            command.as_str(),
            body.replace("red packet", text),
        )
        .signed(DOC_TOKEN, DOC_REQUEST_TIME)
    }

    #[actix_web::test]
    async fn serves_the_webhook_over_http() {
        // The documented app and token, its clock stopped at the samples' signing time.
        let config = test_util::doc_config().build().unwrap();
        let blocked_words = ["red".to_owned()];
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = HttpServer::new(move || app(config.clone(), &blocked_words))
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        let server = actix_web::rt::spawn(server);

        assert_eq!(
            post(
                addr,
                &request("official_channel/after_send_msg", "red packet")
            )
            .await,
            ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
        );
        assert_eq!(
            post(
                addr,
                &request("official_channel/after_send_msg", "red packet").wrong_sign()
            )
            .await,
            (
                "HTTP/1.1 401 Unauthorized".to_owned(),
                AUTHENTICATION_FAILED_BODY.to_owned()
            )
        );
        assert_eq!(
            post(
                addr,
                &request("official_channel/before_send_msg", "Big RED Packet")
            )
            .await,
            ("HTTP/1.1 200 OK".to_owned(), REFUSED_BODY.to_owned())
        );
        assert_eq!(
            post(addr, &request("official_channel/before_send_msg", "hello")).await,
            ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
        );

        handle.stop(true).await;
        tokio::time::timeout(Duration::from_secs(5), server)
            .await
            .expect("the server did not shut down")
            .unwrap()
            .unwrap();
    }
}
