//! The identity of a delivery: the same for Tencent's retry of it, different for any
//! other delivery.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::request::sign::hex;
use crate::request::{CallbackCommand, Delivery, Event};

/// The identity of one delivery, the same for Tencent's retry of it: the `SdkAppid`, the
/// `CallbackCommand`, and the event's natural key where it has one
/// ([`Event::delivery_key`], e.g. the `MsgKey` of an after-send), otherwise a SHA-256 digest
/// of the command and the raw body.
///
/// Spelled `{SdkAppid}:{CallbackCommand}:key:{natural key}` or
/// `{SdkAppid}:{CallbackCommand}:sha256:{64 hex digits}`. A natural key longer than
/// [`DeliveryId::MAX_KEY_LEN`] bytes, or with a byte outside printable ASCII, is replaced by
/// its digest (`keysha256:`), so that an identity stays short enough for a store's key and
/// safe to print. Cloning it is cheap.
///
/// ```
/// use tencent_chat_webhook::WebhookConfig;
/// use tencent_chat_webhook::official_channel::OfficialChannelEvent;
///
/// let config = WebhookConfig::builder().unsigned_app(1400000000).build()?;
/// let delivery = config.receive::<OfficialChannelEvent>(
///     Some("SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg"),
///     r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":"@TOA#_1",
///         "MsgKey":"71_1_1698741698","MsgBody":[],"EventTime":1670574414123}"#.into(),
/// )?;
/// assert_eq!(
///     delivery.delivery_id().as_str(),
///     "1400000000:OfficialAccount.CallbackAfterSendMsg:key:71_1_1698741698",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId(Arc<str>);

impl DeliveryId {
    /// The longest natural key kept as it is; a longer one is replaced by its digest.
    pub const MAX_KEY_LEN: usize = 128;

    /// The identity of a delivery whose event has the natural key `key`.
    pub fn natural(sdk_app_id: u64, command: &CallbackCommand, key: &str) -> Self {
        let printable = key.bytes().all(|byte| byte.is_ascii_graphic());
        if printable && !key.is_empty() && key.len() <= Self::MAX_KEY_LEN {
            Self(format!("{sdk_app_id}:{command}:key:{key}").into())
        } else {
            let digest = hex(&Sha256::digest(key.as_bytes()).into());
            Self(format!("{sdk_app_id}:{command}:keysha256:{digest}").into())
        }
    }

    /// The identity of a delivery without a natural key: the SHA-256 digest of its command
    /// and raw body. Tencent's retry sends the same body, so it gets the same identity.
    pub fn digest(sdk_app_id: u64, command: &CallbackCommand, body: &[u8]) -> Self {
        let digest = Sha256::new()
            .chain_update(command.as_str().as_bytes())
            // Ends the command, so that no command and body can pass for another pair.
            .chain_update([0])
            .chain_update(body)
            .finalize();
        Self(format!("{sdk_app_id}:{command}:sha256:{}", hex(&digest.into())).into())
    }

    /// The identity as a string, as stores keep it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DeliveryId").field(&self.as_str()).finish()
    }
}

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: Event> Delivery<E> {
    /// The identity of this delivery, the same for Tencent's retry of it: see
    /// [`DeliveryId`] and, per command, [the table in `dedupe`](crate::dedupe#identities).
    pub fn delivery_id(&self) -> DeliveryId {
        let sdk_app_id = self.query.sdk_app_id();
        let command = self.query.callback_command();
        match self.event.delivery_key() {
            Some(key) => DeliveryId::natural(sdk_app_id, command, &key),
            None => DeliveryId::digest(sdk_app_id, command, &self.body),
        }
    }
}

/// `natural_key` of the events without a natural key: the catalog's generated
/// [`Event::delivery_key`] calls `self.natural_key()`, which finds an event's inherent
/// `natural_key` first and this one otherwise.
pub(crate) trait NoNaturalKey {
    fn natural_key(&self) -> Option<String> {
        None
    }
}

impl<T: ?Sized> NoNaturalKey for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WebhookEvent;
    use crate::official_channel::OfficialChannelEvent;
    use crate::test_util;

    const AFTER_SEND: CallbackCommand = CallbackCommand::OfficialAccountAfterSendMsg;

    #[test]
    fn natural_keys_are_kept_readable() {
        assert_eq!(
            DeliveryId::natural(1400000000, &AFTER_SEND, "71_1_1698741698").as_str(),
            "1400000000:OfficialAccount.CallbackAfterSendMsg:key:71_1_1698741698"
        );
    }

    #[test]
    fn long_or_unprintable_natural_keys_are_digested() {
        let long = "k".repeat(DeliveryId::MAX_KEY_LEN + 1);
        for key in [long.as_str(), "a\nb", "a b", "é", ""] {
            let id = DeliveryId::natural(1, &AFTER_SEND, key);
            let digest = id
                .as_str()
                .strip_prefix("1:OfficialAccount.CallbackAfterSendMsg:keysha256:")
                .unwrap_or_else(|| panic!("{key:?} gave {id}"));
            assert_eq!(digest.len(), 64);
            assert!(digest.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        let longest = "k".repeat(DeliveryId::MAX_KEY_LEN);
        assert!(
            DeliveryId::natural(1, &AFTER_SEND, &longest)
                .as_str()
                .ends_with(&format!(":key:{longest}"))
        );
    }

    #[test]
    fn digests_cover_command_and_body() {
        // sha256("OfficialAccount.CallbackAfterSendMsg\0{}"), by `printf | sha256sum`.
        assert_eq!(
            DeliveryId::digest(1, &AFTER_SEND, b"{}").as_str(),
            "1:OfficialAccount.CallbackAfterSendMsg:sha256:\
             17c8d3b6b79ddbfa3aa49522d52a336e0264f130c022d33d3a2c8921d980e46d"
        );
        let hash = |id: DeliveryId| id.as_str().rsplit_once(':').unwrap().1.to_owned();
        let other_command = CallbackCommand::OfficialAccountAfterFull;
        assert_ne!(
            hash(DeliveryId::digest(1, &AFTER_SEND, b"{}")),
            hash(DeliveryId::digest(1, &other_command, b"{}"))
        );
        assert_ne!(
            DeliveryId::digest(1, &AFTER_SEND, b"{}"),
            DeliveryId::digest(1, &AFTER_SEND, b"{ }")
        );
        assert_ne!(
            DeliveryId::digest(1, &AFTER_SEND, b"{}"),
            DeliveryId::digest(2, &AFTER_SEND, b"{}")
        );
    }

    #[test]
    fn each_sample_has_the_documented_identity() {
        let config = test_util::doc_config().build().unwrap();
        for sample in test_util::samples() {
            let request = sample.doc_request();
            let delivery: Delivery<WebhookEvent> = config
                .receive(Some(&request.query()), request.body())
                .unwrap();
            let id = delivery.delivery_id();
            let prefix = format!("1400000000:{}:", sample.callback_command());
            let rest = id.as_str().strip_prefix(&prefix).unwrap();
            match sample.name {
                "official_channel/after_send_msg" => assert_eq!(rest, "key:71_1_1698741698"),
                "official_channel/after_msg_with_draw" => {
                    assert_eq!(rest, "key:71_1_1698741698")
                }
                "c2c/after_send_msg" => assert_eq!(rest, "key:48374_2837546_1557481126"),
                "group/after_send_msg" => assert_eq!(rest, "key:@TGS#2J4SZEAEL/-/123"),
                _ => assert_eq!(
                    id,
                    DeliveryId::digest(1400000000, &sample.callback_command(), &delivery.body),
                    "{}",
                    sample.name
                ),
            }
            // The family's enum gives the same identity as the enum of every event.
            if let Ok(family) =
                config.receive::<OfficialChannelEvent>(Some(&request.query()), request.body())
            {
                assert_eq!(family.delivery_id(), id);
            }
        }
    }

    #[test]
    fn a_withdrawal_of_several_messages_names_them_all() {
        let config = test_util::doc_config().build().unwrap();
        let body = r#"{"CallbackCommand":"OfficialAccount.CallbackAfterMsgWithDraw",
            "Official_Account":"a","WithdrawMsgList":[{"MsgKey":"1_2_3"},{"MsgKey":"4_5_6"}],
            "EventTime":1}"#;
        let request = test_util::WebhookRequest::raw(
            test_util::DOC_SDK_APP_ID,
            "OfficialAccount.CallbackAfterMsgWithDraw",
            body,
        )
        .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
        let delivery: Delivery<crate::official_channel::AfterMsgWithDraw> = config
            .receive(Some(&request.query()), request.body())
            .unwrap();
        assert!(
            delivery
                .delivery_id()
                .as_str()
                .ends_with(":key:1_2_3,4_5_6")
        );
        // An empty list has no natural key: the digest stands in.
        let request = test_util::WebhookRequest::raw(
            test_util::DOC_SDK_APP_ID,
            "OfficialAccount.CallbackAfterMsgWithDraw",
            body.replace(r#"{"MsgKey":"1_2_3"},{"MsgKey":"4_5_6"}"#, ""),
        )
        .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
        let delivery: Delivery<WebhookEvent> = config
            .receive(Some(&request.query()), request.body())
            .unwrap();
        assert!(delivery.delivery_id().as_str().contains(":sha256:"));
    }
}
