//! The moderation result.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::log_line::Word;

/// The kind of conversation a moderated message was sent in (`ContactType`). Unknown
/// codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContactType(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl ContactType {
    /// A one-to-one conversation (1).
    pub const C2C: Self = Self(1);
    /// A group (2).
    pub const GROUP: Self = Self(2);
}

/// Where a moderated message was sent (`ContactItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactItem {
    /// One-to-one or group (`ContactType`).
    #[serde(rename = "ContactType")]
    pub contact_type: ContactType,
    /// The recipient (`To_Account`), in a one-to-one conversation.
    #[serde(
        rename = "To_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to_account: Option<String>,
    /// The group's ID (`ToGroupId`), in a group.
    #[serde(rename = "ToGroupId", default, skip_serializing_if = "Option::is_none")]
    pub to_group_id: Option<String>,
}

/// `ContentCallback.ResultNotify`: Tencent's cloud moderation judged a piece of content.
///
/// The body carries no `CallbackCommand`; the command is the query string's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResultNotify {
    /// What was moderated (`Scene`): `C2C`, `C2CCustom`, `Group`, `GroupCustom`,
    /// `GroupInfo`, `GroupMemberInfo`, `RelationChain` or `UserInfo`.
    #[serde(rename = "Scene")]
    pub scene: String,
    /// The app (`SdkAppId`, a number, spelt unlike the query's `SdkAppid`). In the doc's
    /// sample but not its table, so it may be absent.
    #[serde(
        rename = "SdkAppId",
        default,
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub sdk_app_id: Option<u64>,
    /// The content's author (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Where the message was sent (`ContactItem`); message scenes only.
    #[serde(
        rename = "ContactItem",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_item: Option<ContactItem>,
    /// The kind of content (`ContentType`): `Text`, `Image`, `Audio` or `Video`.
    #[serde(rename = "ContentType")]
    pub content_type: String,
    /// The text moderated (`TextContent`), when `ContentType` is `Text`. An array of
    /// strings; an older page documents a single string, which is read as one entry.
    #[serde(
        rename = "TextContent",
        default,
        deserialize_with = "crate::de::opt_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub text_content: Vec<String>,
    /// The media's URL (`FileURL`), for images, audio and video.
    #[serde(rename = "FileURL", default, skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
    /// The message (`MsgID`): its `MsgKey` in a one-to-one conversation, its `MsgSeq`
    /// (as a string; a number is read too) in a group.
    #[serde(
        rename = "MsgID",
        default,
        deserialize_with = "string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_id: Option<String>,
    /// The verdict (`CtxcbResult`): 1 blocked, 0 passed. See [`is_blocked`](Self::is_blocked).
    #[serde(rename = "CtxcbResult", deserialize_with = "crate::de::u32")]
    pub ctxcb_result: u32,
    /// The moderation request's ID (`CtxcbRequestId`).
    #[serde(rename = "CtxcbRequestId")]
    pub ctxcb_request_id: String,
    /// The keywords hit (`CtxcbKeywords`).
    #[serde(
        rename = "CtxcbKeywords",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ctxcb_keywords: Vec<String>,
    /// The suggested action (`CtxcbSuggestion`), such as `Review`.
    #[serde(
        rename = "CtxcbSuggestion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_suggestion: Option<String>,
    /// The violation's label (`CtxcbLabel`), such as `Sexy`.
    #[serde(
        rename = "CtxcbLabel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_label: Option<String>,
    /// The violation's sub-label (`CtxcbSubLabel`).
    #[serde(
        rename = "CtxcbSubLabel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_sub_label: Option<String>,
    /// The sub-label's description (`CtxcbSubLabelDesc`).
    #[serde(
        rename = "CtxcbSubLabelDesc",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_sub_label_desc: Option<String>,
    /// The app's custom library that matched (`CtxcbLibName`).
    #[serde(
        rename = "CtxcbLibName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_lib_name: Option<String>,
    /// The message's custom data (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
}

impl ResultNotify {
    /// Whether the content was blocked (`CtxcbResult` = 1).
    pub fn is_blocked(&self) -> bool {
        self.ctxcb_result == 1
    }
}

/// An optional string that may also come as a number.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(u64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|raw| match raw {
        Raw::Text(text) => text,
        Raw::Number(number) => number.to_string(),
    }))
}

impl fmt::Display for ResultNotify {
    /// The scene, the author, the message (`To_Account` and `MsgKey` one to one,
    /// `GroupId` and `MsgSeq` in a group, both taken from `MsgID`), the verdict, the
    /// media's URL and the text moderated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Scene={} From_Account={}",
            Word(&self.scene),
            Word(&self.from_account)
        )?;
        let mut msg_id_name = "MsgID";
        if let Some(contact) = &self.contact_item {
            if let Some(to) = &contact.to_account {
                write!(f, " To_Account={}", Word(to))?;
            }
            if let Some(group) = &contact.to_group_id {
                write!(f, " GroupId={}", Word(group))?;
            }
            msg_id_name = match contact.contact_type {
                ContactType::C2C => "MsgKey",
                ContactType::GROUP => "MsgSeq",
                _ => msg_id_name,
            };
        }
        if let Some(id) = &self.msg_id {
            write!(f, " {msg_id_name}={}", Word(id))?;
        }
        write!(f, " CtxcbResult={}", self.ctxcb_result)?;
        if let Some(url) = &self.file_url {
            write!(f, " FileURL={}", Word(url))?;
        }
        for text in &self.text_content {
            write!(f, " Text={text:?}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{assert_required, decode, fixture};

    #[test]
    fn result_notify() {
        let event: ResultNotify = decode(fixture!("content_callback", "result_notify"));
        assert_eq!(event.scene, "C2C");
        assert_eq!(event.sdk_app_id, Some(1_400_187_352));
        assert_eq!(event.from_account, "jared");
        let contact = event.contact_item.as_ref().unwrap();
        assert_eq!(contact.contact_type, ContactType::C2C);
        assert_eq!(contact.to_account.as_deref(), Some("Jonh"));
        assert_eq!(contact.to_group_id, None);
        assert_eq!(event.content_type, "Text");
        assert_eq!(event.text_content, ["aaabbbccc", "1234567"]);
        assert_eq!(event.file_url, None);
        assert_eq!(
            event.msg_id.as_deref(),
            Some("1434460578_4137340972_1661154487")
        );
        assert_eq!(event.ctxcb_result, 1);
        assert!(event.is_blocked());
        assert_eq!(
            event.ctxcb_request_id,
            "241ed925-4c56-4357-95dd-1e6e7798f214"
        );
        assert_eq!(event.ctxcb_keywords, ["aaabbbccc", "1234567"]);
        assert_eq!(event.ctxcb_suggestion.as_deref(), Some("Review"));
        assert_eq!(event.ctxcb_label.as_deref(), Some("Sexy"));
        assert_eq!(event.ctxcb_sub_label.as_deref(), Some("InsinuationPorn"));
        assert_eq!(event.ctxcb_sub_label_desc.as_deref(), Some("XXXX"));
        assert_eq!(event.ctxcb_lib_name.as_deref(), Some("test"));
        assert_eq!(event.cloud_custom_data.as_deref(), Some("aaabbbccc"));
        // Written back with the body's own spellings.
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["SdkAppId"], 1_400_187_352_u64);
        assert_eq!(value["MsgID"], "1434460578_4137340972_1661154487");
        assert_eq!(value["ContactItem"]["To_Account"], "Jonh");
        assert_eq!(
            event.to_string(),
            r#"Scene=C2C From_Account=jared To_Account=Jonh MsgKey=1434460578_4137340972_1661154487 CtxcbResult=1 Text="aaabbbccc" Text="1234567""#
        );
    }

    #[test]
    fn quirk_text_content_as_one_string() {
        // Built: an older English page documents `TextContent` as a String.
        let event: ResultNotify = decode(fixture!("content_callback", "quirk_text_content_string"));
        assert_eq!(event.text_content, ["aaabbbccc"]);
        assert_eq!(event.ctxcb_suggestion, None);
        assert_eq!(event.cloud_custom_data, None);
        assert_eq!(
            serde_json::to_value(&event).unwrap()["TextContent"],
            serde_json::json!(["aaabbbccc"])
        );
    }

    #[test]
    fn quirk_group_message_with_a_numeric_msg_id() {
        // Built: a group image (`ToGroupId`, `FileURL`), `MsgID` (the group's MsgSeq)
        // sent as a number, `SdkAppId` as a string; the content passed.
        let event: ResultNotify = decode(fixture!("content_callback", "quirk_group_msg_id_number"));
        let contact = event.contact_item.as_ref().unwrap();
        assert_eq!(contact.contact_type, ContactType::GROUP);
        assert_eq!(contact.to_group_id.as_deref(), Some("@TGS#2J4SZEAEL"));
        assert_eq!(contact.to_account, None);
        assert_eq!(event.msg_id.as_deref(), Some("1234"));
        assert_eq!(event.sdk_app_id, Some(1_400_187_352));
        assert_eq!(
            event.file_url.as_deref(),
            Some("https://example.com/image.jpg")
        );
        assert!(event.text_content.is_empty());
        assert!(!event.is_blocked());
        assert_eq!(
            event.to_string(),
            "Scene=Group From_Account=jared GroupId=@TGS#2J4SZEAEL MsgSeq=1234 CtxcbResult=0 FileURL=https://example.com/image.jpg"
        );
    }

    #[test]
    fn quirk_a_profile_has_no_message() {
        // Built: a profile scene has no `ContactItem`, `MsgID` or `SdkAppId`.
        let event: ResultNotify = decode(fixture!(
            "content_callback",
            "quirk_profile_without_message"
        ));
        assert_eq!(event.scene, "UserInfo");
        assert_eq!(event.contact_item, None);
        assert_eq!(event.msg_id, None);
        assert_eq!(event.sdk_app_id, None);
        assert_eq!(event.ctxcb_suggestion.as_deref(), Some("Block"));
        assert_eq!(
            event.to_string(),
            r#"Scene=UserInfo From_Account=jared CtxcbResult=1 Text="a nickname""#
        );
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert_required::<ResultNotify>(
            fixture!("content_callback", "result_notify"),
            &[
                "Scene",
                "From_Account",
                "ContentType",
                "CtxcbResult",
                "CtxcbRequestId",
            ],
        );
        let whole: serde_json::Value =
            serde_json::from_str(fixture!("content_callback", "result_notify")).unwrap();
        let mut body = whole.clone();
        body["ContactItem"]
            .as_object_mut()
            .unwrap()
            .remove("ContactType");
        assert!(serde_json::from_value::<ResultNotify>(body).is_err());
        let mut body = whole;
        body["TextContent"] = serde_json::json!(7);
        assert!(serde_json::from_value::<ResultNotify>(body).is_err());
    }
}
