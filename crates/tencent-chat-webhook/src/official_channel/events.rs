//! The eleven events, with their log lines.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::OfficialChannelEvent;
use crate::log_line::{self, Word};
use crate::message::{self, MsgElement};
use crate::time::{UnixMillis, UnixSecs};

impl OfficialChannelEvent {
    /// The channel's ID (`Official_Account`); `None` before the channel exists.
    pub fn official_account(&self) -> Option<&str> {
        Some(match self {
            Self::BeforeCreateOfficialAccount(_) => return None,
            Self::AfterCreateOfficialAccount(e) => &e.official_account,
            Self::AfterOfficialAccountInfoChanged(e) => &e.official_account,
            Self::AfterOfficialAccountDestroyed(e) => &e.official_account,
            Self::BeforeAddSubscriber(e) => &e.official_account,
            Self::AfterAddSubscriber(e) => &e.official_account,
            Self::AfterOfficialAccountFull(e) => &e.official_account,
            Self::AfterDeleteSubscriber(e) => &e.official_account,
            Self::BeforeSendMsg(e) => &e.official_account,
            Self::AfterSendMsg(e) => &e.official_account,
            Self::AfterMsgWithDraw(e) => &e.official_account,
        })
    }
}

/// The log line's identifiers of the events that name only their channel.
macro_rules! display_channel {
    ($($event:ident),*) => {$(
        impl fmt::Display for $event {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "Official_Account={}", Word(&self.official_account))
            }
        }
    )*};
}

display_channel!(
    AfterCreateOfficialAccount,
    AfterOfficialAccountInfoChanged,
    AfterOfficialAccountDestroyed,
    BeforeAddSubscriber,
    AfterAddSubscriber,
    AfterOfficialAccountFull,
    AfterDeleteSubscriber
);

impl fmt::Display for BeforeSendMsg {
    /// The channel and the text of the text elements (quoted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Official_Account={}", Word(&self.official_account))?;
        log_line::texts(f, &self.msg_body)
    }
}

impl fmt::Display for AfterSendMsg {
    /// The channel, the `MsgKey` and the text of the text elements (quoted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Official_Account={} MsgKey={}",
            Word(&self.official_account),
            Word(&self.msg_key)
        )?;
        log_line::texts(f, &self.msg_body)
    }
}

impl fmt::Display for AfterMsgWithDraw {
    /// The channel and the `MsgKey` of each recalled message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Official_Account={}", Word(&self.official_account))?;
        self.withdraw_msg_list
            .iter()
            .try_for_each(|msg| write!(f, " MsgKey={}", Word(&msg.msg_key)))
    }
}

impl fmt::Display for BeforeCreateOfficialAccount {
    /// No channel yet: the owner and the requested name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Owner_Account={} Name={:?}",
            Word(&self.owner_account),
            self.name
        )
    }
}

impl BeforeSendMsg {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl AfterSendMsg {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }

    /// Its natural key, which identifies its delivery for [`dedupe`](crate::dedupe): the
    /// `MsgKey`.
    pub fn natural_key(&self) -> Option<String> {
        Some(self.msg_key.clone())
    }
}

impl AfterMsgWithDraw {
    /// Its natural key, which identifies its delivery for [`dedupe`](crate::dedupe): the
    /// `MsgKey`s of the recalled messages, joined by `,`; `None` when the list is empty.
    pub fn natural_key(&self) -> Option<String> {
        let keys: Vec<&str> = self
            .withdraw_msg_list
            .iter()
            .map(|msg| msg.msg_key.as_str())
            .collect();
        (!keys.is_empty()).then(|| keys.join(","))
    }
}

/// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: a channel is about to be
/// created through the REST API. Answer with a [`BeforeCreateReply`](super::BeforeCreateReply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeCreateOfficialAccount {
    /// Who asked for the channel (`Operator_Account`).
    #[serde(rename = "Operator_Account", default)]
    pub operator_account: String,
    /// Who will own the channel (`Owner_Account`).
    #[serde(rename = "Owner_Account", default)]
    pub owner_account: String,
    /// The requested name (`Name`).
    #[serde(rename = "Name", default)]
    pub name: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterCreateOfficialAccount`: a channel was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateOfficialAccount {
    /// The new channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Who created it (`Operator_Account`).
    #[serde(rename = "Operator_Account", default)]
    pub operator_account: String,
    /// Its owner (`Owner_Account`).
    #[serde(rename = "Owner_Account", default)]
    pub owner_account: String,
    /// Its name (`Name`).
    #[serde(rename = "Name", default)]
    pub name: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: a channel's profile
/// changed. Only the changed fields are present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterOfficialAccountInfoChanged {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Who changed it (`Operator_Account`).
    #[serde(rename = "Operator_Account", default)]
    pub operator_account: String,
    /// The new introduction (`Introduction`).
    #[serde(
        rename = "Introduction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub introduction: Option<String>,
    /// The new name (`Name`).
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new avatar URL (`FaceUrl`).
    #[serde(rename = "FaceUrl", default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    /// The new organization (`Organization`).
    #[serde(
        rename = "Organization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub organization: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: a channel was destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterOfficialAccountDestroyed {
    /// The destroyed channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Its owner (`Owner_Account`).
    #[serde(rename = "Owner_Account", default)]
    pub owner_account: String,
    /// Its name (`Name`).
    #[serde(rename = "Name", default)]
    pub name: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `SubscribeAccountList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Subscriber {
    /// The user's ID (`Subscriber_Account`).
    #[serde(rename = "Subscriber_Account")]
    pub subscriber_account: String,
}

/// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe.
/// Answer with a [`BeforeAddSubscriberReply`](super::BeforeAddSubscriberReply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeAddSubscriber {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Who subscribes them (`Operator_Account`).
    #[serde(rename = "Operator_Account", default)]
    pub operator_account: String,
    /// The users to be added (`SubscribeAccountList`).
    #[serde(rename = "SubscribeAccountList", default)]
    pub subscribe_account_list: Vec<Subscriber>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterAddSubscriber {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Who subscribed them (`Operator_Account`).
    #[serde(rename = "Operator_Account", default)]
    pub operator_account: String,
    /// The users added (`SubscribeAccountList`).
    #[serde(rename = "SubscribeAccountList", default)]
    pub subscribe_account_list: Vec<Subscriber>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterOfficialAccountFull`: a channel reached its subscriber limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterOfficialAccountFull {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed or were removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterDeleteSubscriber {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Who removed them (`Operator_Account`).
    #[serde(rename = "Operator_Account", default)]
    pub operator_account: String,
    /// The users who left (`SubscribeAccountList`).
    #[serde(rename = "SubscribeAccountList", default)]
    pub subscribe_account_list: Vec<Subscriber>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackBeforeSendMsg`: a channel message is about to be
/// delivered. Answer with a [`BeforeSendMsgReply`](super::BeforeSendMsgReply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// Whether the message goes to online subscribers only (`OnlineOnlyFlag` = 1).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub online_only: bool,
    /// The message (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// Custom data stored with the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `OfficialAccount.CallbackAfterSendMsg`: a channel message was delivered to the subscribers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// The message's unique key (`MsgKey`), used to recall it.
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    /// When the server stored the message (`MsgTime`).
    #[serde(rename = "MsgTime", default)]
    pub msg_time: UnixSecs,
    /// Whether the message went to online subscribers only (`OnlineOnlyFlag` = 1).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub online_only: bool,
    /// The message (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// Custom data stored with the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `WithdrawMsgList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WithdrawnMsg {
    /// The recalled message's key (`MsgKey`).
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
}

/// `OfficialAccount.CallbackAfterMsgWithDraw`: channel messages were recalled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterMsgWithDraw {
    /// The channel's ID (`Official_Account`).
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// The recalled messages (`WithdrawMsgList`).
    #[serde(rename = "WithdrawMsgList", default)]
    pub withdraw_msg_list: Vec<WithdrawnMsg>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{CallbackCommand, Event};
    use crate::test_support::fixture;

    fn decode<E: Event>(fixture: &str) -> E {
        let command = CallbackCommand::from_wire(
            serde_json::from_str::<serde_json::Value>(fixture).unwrap()["CallbackCommand"]
                .as_str()
                .unwrap(),
        );
        assert!(E::accepts(&command));
        crate::body::decode(fixture.as_bytes(), &command).unwrap()
    }

    #[test]
    fn before_create() {
        let event: BeforeCreateOfficialAccount = decode(fixture!(
            "official_channel",
            "before_create_official_account"
        ));
        assert_eq!(event.operator_account, "107867");
        assert_eq!(event.owner_account, "107867");
        assert_eq!(event.name, "TestOfficialAccount");
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_123));
    }

    #[test]
    fn after_create() {
        let event: AfterCreateOfficialAccount = decode(fixture!(
            "official_channel",
            "after_create_official_account"
        ));
        assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
        assert_eq!(event.name, "TestOfficialAccount");
    }

    #[test]
    fn info_changed_with_all_and_with_some_fields() {
        let event: AfterOfficialAccountInfoChanged = decode(fixture!(
            "official_channel",
            "after_official_account_info_changed"
        ));
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.introduction.as_deref(), Some("NewNotification"));
        assert_eq!(event.name.as_deref(), Some("NewName"));
        assert_eq!(
            event.face_url.as_deref(),
            Some("http://this.is.newface.url")
        );
        assert_eq!(event.organization.as_deref(), Some("NewOrganization"));

        let event: AfterOfficialAccountInfoChanged =
            decode(fixture!("official_channel", "quirk_info_changed_name_only"));
        assert_eq!(event.name.as_deref(), Some("OnlyTheName"));
        assert_eq!(event.introduction, None);
        assert_eq!(event.face_url, None);
    }

    #[test]
    fn destroyed_and_full() {
        let event: AfterOfficialAccountDestroyed = decode(fixture!(
            "official_channel",
            "after_official_account_destroyed"
        ));
        assert_eq!(event.owner_account, "107867");
        let event: AfterOfficialAccountFull =
            decode(fixture!("official_channel", "after_official_account_full"));
        assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_123));
    }

    #[test]
    fn subscriber_events() {
        let event: BeforeAddSubscriber =
            decode(fixture!("official_channel", "before_add_subscriber"));
        let names: Vec<_> = event
            .subscribe_account_list
            .iter()
            .map(|s| s.subscriber_account.as_str())
            .collect();
        assert_eq!(names, ["jared", "leckie"]);
        let event: AfterAddSubscriber =
            decode(fixture!("official_channel", "after_add_subscriber"));
        assert_eq!(event.subscribe_account_list.len(), 2);
        let event: AfterDeleteSubscriber =
            decode(fixture!("official_channel", "after_delete_subscriber"));
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.subscribe_account_list[0].subscriber_account, "jared");
    }

    #[test]
    fn send_events() {
        let event: BeforeSendMsg = decode(fixture!("official_channel", "before_send_msg"));
        assert_eq!(event.official_account, "@TOA#_2J4SZEAEL");
        assert!(event.online_only);
        assert_eq!(event.msg_body, [MsgElement::text("red packet")]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );

        let event: AfterSendMsg = decode(fixture!("official_channel", "after_send_msg"));
        assert_eq!(event.msg_key, "71_1_1698741698");
        assert_eq!(event.msg_time, UnixSecs(1_490_686_222));
        assert!(event.online_only);
        assert_eq!(event.msg_body[0].as_text(), Some("red packet"));
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_123));
    }

    #[test]
    fn display_is_one_log_line() {
        let event: OfficialChannelEvent = decode(fixture!("official_channel", "after_send_msg"));
        assert_eq!(
            event.to_string(),
            r#"OfficialAccount.CallbackAfterSendMsg Official_Account=@TOA#_2J4SZEAEL MsgKey=71_1_1698741698 Text="red packet""#
        );
        let event: OfficialChannelEvent = decode(fixture!(
            "official_channel",
            "before_create_official_account"
        ));
        assert_eq!(
            event.to_string(),
            r#"OfficialAccount.CallbackBeforeCreateOfficialAccount Owner_Account=107867 Name="TestOfficialAccount""#
        );
        let event: OfficialChannelEvent =
            decode(fixture!("official_channel", "after_msg_with_draw"));
        assert_eq!(
            event.to_string(),
            "OfficialAccount.CallbackAfterMsgWithDraw Official_Account=#TOA#_123 MsgKey=71_1_1698741698"
        );
        let event: BeforeSendMsg = decode(fixture!("official_channel", "before_send_msg"));
        assert_eq!(event.texts().collect::<Vec<_>>(), ["red packet"]);
    }

    #[test]
    fn display_quotes_a_value_that_is_not_one_word() {
        let mut event: AfterSendMsg = decode(fixture!("official_channel", "after_send_msg"));
        event.msg_key = "k\nOfficialAccount.CallbackAfterSendMsg MsgKey=forged".to_owned();
        assert_eq!(
            event.to_string(),
            r#"Official_Account=@TOA#_2J4SZEAEL MsgKey="k\nOfficialAccount.CallbackAfterSendMsg MsgKey=forged" Text="red packet""#
        );
    }

    #[test]
    fn withdraw() {
        let event: AfterMsgWithDraw = decode(fixture!("official_channel", "after_msg_with_draw"));
        assert_eq!(event.official_account, "#TOA#_123");
        assert_eq!(event.withdraw_msg_list[0].msg_key, "71_1_1698741698");
    }

    #[test]
    fn string_numbers_and_missing_optional_fields() {
        let event: AfterSendMsg = decode(fixture!(
            "official_channel",
            "quirk_after_send_msg_string_numbers"
        ));
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_123));
        assert_eq!(event.msg_time, UnixSecs(1_490_686_222));
        assert!(!event.online_only);
        let event: BeforeSendMsg = decode(fixture!(
            "official_channel",
            "quirk_before_send_msg_minimal"
        ));
        assert_eq!(event.cloud_custom_data, None);
        assert!(!event.online_only);
    }

    #[test]
    fn a_message_with_every_element_and_unknown_fields() {
        let event: AfterSendMsg = decode(fixture!(
            "official_channel",
            "quirk_after_send_msg_every_element"
        ));
        let kinds: Vec<_> = event.msg_body.iter().map(MsgElement::msg_type).collect();
        assert_eq!(
            kinds,
            [
                "TIMTextElem",
                "TIMLocationElem",
                "TIMFaceElem",
                "TIMCustomElem",
                "TIMSoundElem",
                "TIMImageElem",
                "TIMFileElem",
                "TIMVideoFileElem",
                "TIMRelayElem",
                "TIMStreamElem",
            ]
        );
        assert!(matches!(event.msg_body[9], MsgElement::Unknown { .. }));
        let MsgElement::Relay(relay) = &event.msg_body[8] else {
            panic!("expected a relay element")
        };
        let nested = relay.msg_list.as_ref().unwrap();
        assert_eq!(nested[0].msg_random, 3_998_651_049);
        assert_eq!(nested[1].msg_body[0].as_text(), Some("I think it's great."));
        assert_eq!(event.texts().collect::<Vec<_>>(), ["hello world"]);
        assert_eq!(event.cloud_custom_data.as_deref(), Some(""));
    }

    #[test]
    fn the_enum_decodes_every_command_by_its_query_command() {
        let fixtures = [
            fixture!("official_channel", "before_create_official_account"),
            fixture!("official_channel", "after_create_official_account"),
            fixture!("official_channel", "after_official_account_info_changed"),
            fixture!("official_channel", "after_official_account_destroyed"),
            fixture!("official_channel", "before_add_subscriber"),
            fixture!("official_channel", "after_add_subscriber"),
            fixture!("official_channel", "after_official_account_full"),
            fixture!("official_channel", "after_delete_subscriber"),
            fixture!("official_channel", "before_send_msg"),
            fixture!("official_channel", "after_send_msg"),
            fixture!("official_channel", "after_msg_with_draw"),
        ];
        for (fixture, command) in fixtures
            .into_iter()
            .zip(crate::request::Family::OfficialChannel.commands())
        {
            let event: OfficialChannelEvent = decode(fixture);
            assert_eq!(event.command(), *command);
            assert_eq!(
                event.official_account().is_none(),
                *command == CallbackCommand::OfficialAccountBeforeCreate
            );
        }
        assert!(!OfficialChannelEvent::accepts(&CallbackCommand::from_wire(
            "C2C.CallbackAfterSendMsg"
        )));
    }

    #[test]
    fn events_serialize_back_to_their_wire_names() {
        let event: AfterSendMsg = decode(fixture!("official_channel", "after_send_msg"));
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["Official_Account"], "@TOA#_2J4SZEAEL");
        assert_eq!(value["OnlineOnlyFlag"], 1);
        assert_eq!(value["MsgBody"][0]["MsgType"], "TIMTextElem");
        let again: AfterSendMsg = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(again, event);
        // The enum writes the event it holds, the same way.
        let any = OfficialChannelEvent::from(event);
        assert_eq!(serde_json::to_value(&any).unwrap(), value);
    }

    #[test]
    fn missing_required_fields_are_errors() {
        let command = CallbackCommand::OfficialAccountAfterSendMsg;
        for body in [
            r#"{"Official_Account":"a","MsgBody":[],"EventTime":1}"#,
            r#"{"MsgKey":"k","MsgBody":[],"EventTime":1}"#,
            r#"{"Official_Account":"a","MsgKey":"k","EventTime":1}"#,
            r#"{"Official_Account":"a","MsgKey":"k","MsgBody":[]}"#,
            r#"{"Official_Account":1,"MsgKey":"k","MsgBody":[],"EventTime":1}"#,
            r#"{"Official_Account":"a","MsgKey":"k","MsgBody":{},"EventTime":1}"#,
        ] {
            let body = body.replacen(
                '{',
                r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","#,
                1,
            );
            assert!(
                matches!(
                    crate::body::decode::<AfterSendMsg>(body.as_bytes(), &command),
                    Err(crate::Rejection::MalformedBody(_))
                ),
                "{body}"
            );
        }
    }
}
