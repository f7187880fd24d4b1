//! Topics of communities: before and after a topic is created, after topics are
//! destroyed and after a topic's profile changed, with the reply of the before-webhook.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{GroupCodes, UserDefinedData};
use crate::answer::{Answer, CheckedRefusal, InvalidRefusalCode};
use crate::log_line::{self, Word};
use crate::time::UnixMillis;

/// `Group.CallbackBeforeCreateTopic`: a topic is about to be created in a community.
/// Answer with a [`BeforeCreateTopicReply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeCreateTopic {
    /// The community's ID (`GroupId`).
    ///
    /// **UNVERIFIED**: Tencent's sample does not have it; decoded when present.
    #[serde(rename = "GroupId", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Who asked for the topic (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The group's type (`Type`): `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// The requested topic name (`Name`).
    #[serde(rename = "Name")]
    pub name: String,
    /// When it happened (`EventTime`); not documented for this command, kept when sent.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

impl fmt::Display for BeforeCreateTopic {
    /// The community when sent, then the requested `Name`: the topic has no ID yet.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(group_id) = &self.group_id {
            write!(f, "GroupId={} ", Word(group_id))?;
        }
        write!(f, "Name={}", Word(&self.name))
    }
}

/// The answer to a [`BeforeCreateTopic`].
///
/// [`Default`] creates the topic, as Tencent does when the webhook times out.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::group::BeforeCreateTopicReply;
///
/// assert_eq!(Answer::from(BeforeCreateTopicReply::default()), Answer::ok());
/// assert_eq!(
///     Answer::from(BeforeCreateTopicReply::refuse_with(10101, "name taken")?).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":10101,"ErrorInfo":"name taken"}"#,
/// );
/// # Ok::<(), tencent_chat_webhook::answer::InvalidRefusalCode>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BeforeCreateTopicReply {
    /// Create the topic (`ErrorCode` 0).
    #[default]
    Allow,
    /// Do not create it (`ErrorCode` 1); the caller gets error 10016.
    Refuse,
    /// Refuse with a code from 10100–10200 and a message passed through to the caller.
    RefuseWith(CheckedRefusal<GroupCodes>),
}

impl BeforeCreateTopicReply {
    /// Refuse with a custom code (10100–10200, [`REFUSAL_CODES`](super::REFUSAL_CODES))
    /// and a message for the caller.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside 10100–10200.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CheckedRefusal::new(code, info).map(Self::RefuseWith)
    }
}

impl From<BeforeCreateTopicReply> for Answer {
    fn from(reply: BeforeCreateTopicReply) -> Self {
        match reply {
            BeforeCreateTopicReply::Allow => Answer::ok(),
            BeforeCreateTopicReply::Refuse => Answer::verdict(1, "", ()),
            BeforeCreateTopicReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

/// `Group.CallbackAfterCreateTopic`: a topic was created in a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateTopic {
    /// The community's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The new topic's ID (`TopicId`).
    #[serde(rename = "TopicId")]
    pub topic_id: String,
    /// Who created it (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// Its owner (`Owner_Account`).
    #[serde(rename = "Owner_Account")]
    pub owner_account: String,
    /// The group's type (`Type`): `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// The topic's name (`Name`).
    #[serde(rename = "Name")]
    pub name: String,
    /// The topic's custom fields (`UserDefinedDataList`); sent only when the app
    /// enabled them, empty otherwise.
    #[serde(
        rename = "UserDefinedDataList",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_defined_data_list: Vec<UserDefinedData>,
    /// When it happened (`EventTime`); not documented for this command, kept when sent.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

impl fmt::Display for AfterCreateTopic {
    /// The community and the new topic.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "GroupId={} TopicId={}",
            Word(&self.group_id),
            Word(&self.topic_id)
        )
    }
}

/// `Group.CallbackAfterTopicDestroyed`: topics of a community were destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterTopicDestroyed {
    /// The community's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`): `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// The destroyed topics (`TopicIdList`); a single string is read as one ID.
    // An array of IDs in Tencent's sample, but a String in its table.
    #[serde(rename = "TopicIdList", deserialize_with = "crate::de::one_or_many")]
    pub topic_id_list: Vec<String>,
    /// When it happened (`EventTime`); not documented for this command, kept when sent.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

impl fmt::Display for AfterTopicDestroyed {
    /// The community and each destroyed topic.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId={}", Word(&self.group_id))?;
        for topic_id in &self.topic_id_list {
            write!(f, " TopicId={}", Word(topic_id))?;
        }
        Ok(())
    }
}

/// `Group.CallbackAfterTopicInfoChanged`: a topic's profile changed. Only the changed
/// fields are present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterTopicInfoChanged {
    /// The community's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The topic's ID (`TopicId`).
    ///
    /// **UNVERIFIED**: Tencent's sample does not have it; decoded when present.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// The group's type (`Type`): `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who changed it (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The new name (`Name`).
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new introduction (`Introduction`).
    #[serde(
        rename = "Introduction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub introduction: Option<String>,
    /// The new notification (`Notification`).
    #[serde(
        rename = "Notification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub notification: Option<String>,
    /// The new avatar URL (`FaceUrl`).
    #[serde(rename = "FaceUrl", default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    /// When it happened (`EventTime`); not documented for this command, kept when sent.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

impl fmt::Display for AfterTopicInfoChanged {
    /// The community, and the topic when sent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId={}", Word(&self.group_id))?;
        log_line::topic(f, self.topic_id.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::REFUSAL_CODES;
    use super::super::tests::EVENT_TIME;
    use super::*;
    use crate::test_support::{assert_body, assert_required, decode, fixture};
    use crate::test_util::{OK_BODY, REFUSED_BODY};

    #[test]
    fn before_create_topic() {
        let event: BeforeCreateTopic = decode(fixture!("group", "before_create_topic"));
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.group_type, "Community");
        assert_eq!(event.name, "MyFirstTopic");
        assert_eq!(event.group_id, None);
        assert_eq!(event.event_time, None);
        assert_eq!(event.to_string(), "Name=MyFirstTopic");
        let spaced = BeforeCreateTopic {
            name: "My First Topic".into(),
            ..event.clone()
        };
        assert_eq!(spaced.to_string(), r#"Name="My First Topic""#);
        assert_required::<BeforeCreateTopic>(
            fixture!("group", "before_create_topic"),
            &["Operator_Account", "Type", "Name"],
        );
    }

    #[test]
    fn before_create_topic_with_a_group_id_and_an_event_time() {
        let event: BeforeCreateTopic =
            decode(fixture!("group", "quirk_before_create_topic_with_group_id"));
        assert_eq!(event.group_id.as_deref(), Some("@TGS#_@TGS#cQVLVHIM62CJ"));
        assert_eq!(event.event_time, Some(EVENT_TIME));
        assert_eq!(
            event.to_string(),
            "GroupId=@TGS#_@TGS#cQVLVHIM62CJ Name=MyFirstTopic"
        );
    }

    // The documented replies of Group.CallbackBeforeCreateTopic, comments removed.
    const ALLOW: &str = r#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}"#;
    const REFUSE: &str = r#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 1}"#;

    #[test]
    fn before_create_topic_replies_match_the_documented_samples() {
        assert_body(BeforeCreateTopicReply::Allow, ALLOW);
        assert_body(BeforeCreateTopicReply::default(), ALLOW);
        assert_body(BeforeCreateTopicReply::Refuse, REFUSE);
        assert_eq!(
            Answer::from(BeforeCreateTopicReply::default()).body(),
            OK_BODY
        );
        assert_eq!(
            Answer::from(BeforeCreateTopicReply::Refuse).body(),
            REFUSED_BODY
        );
        assert_body(
            BeforeCreateTopicReply::refuse_with(10_200, "too many topics").unwrap(),
            r#"{"ActionStatus":"OK","ErrorInfo":"too many topics","ErrorCode":10200}"#,
        );
    }

    #[test]
    fn before_create_topic_refusal_codes_are_the_group_range() {
        let BeforeCreateTopicReply::RefuseWith(refusal) =
            BeforeCreateTopicReply::refuse_with(10_100, "no").unwrap()
        else {
            panic!("expected a custom refusal")
        };
        assert_eq!((refusal.code(), refusal.info()), (10_100, "no"));
        for code in [0, 1, 10_099, 10_201, 120_001, u32::MAX] {
            assert_eq!(
                BeforeCreateTopicReply::refuse_with(code, ""),
                Err(InvalidRefusalCode {
                    code,
                    range: REFUSAL_CODES
                })
            );
        }
    }

    #[test]
    fn after_create_topic() {
        let event: AfterCreateTopic = decode(fixture!("group", "after_create_topic"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(
            event.topic_id,
            "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5"
        );
        assert_eq!(event.operator_account, "group_root");
        assert_eq!(event.owner_account, "leckie");
        assert_eq!(event.group_type, "Community");
        assert_eq!(event.name, "MyFirstTopic");
        let data: Vec<_> = event
            .user_defined_data_list
            .iter()
            .map(|d| (d.key.as_str(), &d.value))
            .collect();
        assert_eq!(
            data,
            [
                ("UserDefined1", &json!("hello")),
                ("UserDefined2", &json!("world"))
            ]
        );
        assert_eq!(event.event_time, None);
        assert_eq!(
            event.to_string(),
            "GroupId=@TGS#2J4SZEAEL TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5"
        );
        assert_required::<AfterCreateTopic>(
            fixture!("group", "after_create_topic"),
            &[
                "GroupId",
                "TopicId",
                "Operator_Account",
                "Owner_Account",
                "Type",
                "Name",
            ],
        );
    }

    #[test]
    fn after_create_topic_without_custom_fields() {
        let event: AfterCreateTopic = decode(fixture!(
            "group",
            "quirk_after_create_topic_without_user_data"
        ));
        assert!(event.user_defined_data_list.is_empty());
        let json = serde_json::to_value(&event).unwrap();
        assert!(json.get("UserDefinedDataList").is_none());
    }

    #[test]
    fn after_topic_destroyed() {
        let event: AfterTopicDestroyed = decode(fixture!("group", "after_topic_destroyed"));
        assert_eq!(event.group_id, "@TGS#_@TGS#cQVLVHIM62CJ");
        assert_eq!(event.group_type, "Community");
        assert_eq!(
            event.topic_id_list,
            [
                "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic",
                "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"
            ]
        );
        assert_eq!(event.event_time, None);
        assert_eq!(
            event.to_string(),
            "GroupId=@TGS#_@TGS#cQVLVHIM62CJ TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"
        );
        assert_required::<AfterTopicDestroyed>(
            fixture!("group", "after_topic_destroyed"),
            &["GroupId", "Type", "TopicIdList"],
        );
    }

    #[test]
    fn after_topic_destroyed_with_one_id_as_a_string() {
        let event: AfterTopicDestroyed = decode(fixture!("group", "quirk_topic_id_list_string"));
        assert_eq!(
            event.topic_id_list,
            ["@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"]
        );
        // Written back as the array of the sample.
        assert_eq!(
            serde_json::to_value(&event).unwrap()["TopicIdList"],
            serde_json::json!(["@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"])
        );
        let number = r#"{"GroupId":"g","Type":"Community","TopicIdList":7}"#;
        assert!(serde_json::from_str::<AfterTopicDestroyed>(number).is_err());
    }

    #[test]
    fn after_topic_info_changed() {
        let event: AfterTopicInfoChanged = decode(fixture!("group", "after_topic_info_changed"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Community");
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.name.as_deref(), Some("TestTopic"));
        assert_eq!(event.introduction.as_deref(), Some("TestIntroduction"));
        assert_eq!(event.notification.as_deref(), Some("NewNotification"));
        assert_eq!(event.face_url.as_deref(), Some("http://this.is.face.url"));
        assert_eq!(event.topic_id, None);
        assert_eq!(event.event_time, None);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
        assert_required::<AfterTopicInfoChanged>(
            fixture!("group", "after_topic_info_changed"),
            &["GroupId", "Type", "Operator_Account"],
        );
    }

    #[test]
    fn after_topic_info_changed_with_a_topic_id_and_one_change() {
        let event: AfterTopicInfoChanged =
            decode(fixture!("group", "quirk_topic_info_changed_with_topic_id"));
        assert_eq!(
            event.topic_id.as_deref(),
            Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
        );
        assert_eq!(event.name.as_deref(), Some("RenamedTopic"));
        assert_eq!(event.introduction, None);
        assert_eq!(event.notification, None);
        assert_eq!(event.face_url, None);
        assert_eq!(event.event_time, Some(EVENT_TIME));
        assert_eq!(
            event.to_string(),
            "GroupId=@TGS#_@TGS#cQVLVHIM62CJ TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"
        );
    }
}
