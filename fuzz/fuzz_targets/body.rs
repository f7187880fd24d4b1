//! The body decoder: the input is the body of an unsigned request, decoded under the
//! command the first byte picks (or, past the last, the command of the body itself).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_chat_webhook::CallbackCommand;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let commands = CallbackCommand::ALL;
    let command = match commands.get(usize::from(pick) % (commands.len() + 1)) {
        Some(command) => command.clone(),
        None => serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|value| {
                value
                    .get("CallbackCommand")?
                    .as_str()
                    .map(CallbackCommand::from_wire)
            })
            .unwrap_or(CallbackCommand::OfficialAccountAfterSendMsg),
    };
    thread_local! {
        static CONFIG: tencent_chat_webhook::WebhookConfig = tencent_chat_webhook_fuzz::config();
    }
    CONFIG.with(|config| tencent_chat_webhook_fuzz::decode_every_event(config, &command, body));
});
