//! The service over real HTTP on loopback.

use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::HttpServer;
use tencent_chat_webhook_actix::{WebhookConfig, sign};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const AFTER_SEND: &str = r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":"@TOA#_2J4SZEAEL","MsgKey":"71_1_1698741698","MsgTime":1490686222,"OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],"CloudCustomData":"your cloud custom data","EventTime":1670574414123}"#;
const BEFORE_SEND: &str = r#"{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg","Official_Account":"@TOA#_2J4SZEAEL","OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"Big RED Packet"}}],"EventTime":1670574414123}"#;

/// One HTTP/1.1 request on a fresh connection: the status line and the body.
async fn post(addr: SocketAddr, query: &str, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /webhook?{query} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("content-type: application/json"), "{head}");
    let status = head.lines().next().unwrap().to_owned();
    (status, body.to_owned())
}

fn query(command: &str, token: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!(
        "SdkAppid=1400000000&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=RESTAPI&Sign={}&RequestTime={now}",
        sign(token, now)
    )
}

#[actix_web::test]
async fn serves_the_webhook_over_http() {
    let config = WebhookConfig::builder()
        .app(1_400_000_000, ["xxxxyyyy"])
        .build()
        .unwrap();
    let blocked_words = ["red".to_owned()];
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server =
        HttpServer::new(move || actix_official_channel::app(config.clone(), &blocked_words))
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run();
    let handle = server.handle();
    let server = actix_web::rt::spawn(server);

    let after = "OfficialAccount.CallbackAfterSendMsg";
    assert_eq!(
        post(addr, &query(after, "xxxxyyyy"), AFTER_SEND).await,
        (
            "HTTP/1.1 200 OK".to_owned(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#.to_owned()
        )
    );
    assert_eq!(
        post(addr, &query(after, "wrong token"), AFTER_SEND).await,
        (
            "HTTP/1.1 401 Unauthorized".to_owned(),
            r#"{"ActionStatus":"FAIL","ErrorCode":40101,"ErrorInfo":"authentication failed"}"#
                .to_owned()
        )
    );
    let before = "OfficialAccount.CallbackBeforeSendMsg";
    assert_eq!(
        post(addr, &query(before, "xxxxyyyy"), BEFORE_SEND).await,
        (
            "HTTP/1.1 200 OK".to_owned(),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#.to_owned()
        )
    );
    let allowed = BEFORE_SEND.replace("Big RED Packet", "hello");
    assert_eq!(
        post(addr, &query(before, "xxxxyyyy"), &allowed).await,
        (
            "HTTP/1.1 200 OK".to_owned(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#.to_owned()
        )
    );

    handle.stop(true).await;
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server did not shut down")
        .unwrap()
        .unwrap();
}
