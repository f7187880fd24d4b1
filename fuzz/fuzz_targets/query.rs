//! The query parser, then authentication, on any query string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_chat_webhook::request::CallbackQuery;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(query) = CallbackQuery::parse(raw) {
        let _ = format!("{query:?}");
    }
    let config = tencent_chat_webhook_fuzz::config();
    match config.authenticate(Some(raw), None) {
        Ok(authenticated) => assert!(
            authenticated.query().sdk_app_id() == tencent_chat_webhook_fuzz::UNSIGNED_APP
                || authenticated.query().request_time().is_some()
        ),
        Err(rejection) => {
            assert!([400, 401, 403].contains(&rejection.status().as_u16()));
        }
    }
});
