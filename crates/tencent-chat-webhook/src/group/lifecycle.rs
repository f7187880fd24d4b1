//! The group's own life: created, full, profile and attributes changed, owner changed,
//! destroyed, and the app's daily creation quota.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Member;
use crate::log_line::Word;
use crate::time::UnixMillis;

/// `Group.CallbackBeforeCreateGroup`: a group is about to be created. Answer with a
/// [`BeforeCreateGroupReply`](super::BeforeCreateGroupReply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeCreateGroup {
    /// Who asked for the group (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// Who will own the group (`Owner_Account`).
    #[serde(rename = "Owner_Account")]
    pub owner_account: String,
    /// The group's type (`Type`): `Private` (`Work`), `Public`, `ChatRoom` (`Meeting`),
    /// `AVChatRoom` or `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// The requested name (`Name`).
    #[serde(rename = "Name")]
    pub name: String,
    /// How many groups of this type the operator has already created (`CreateGroupNum`).
    #[serde(rename = "CreateGroupNum", deserialize_with = "crate::de::u32")]
    pub create_group_num: u32,
    /// The initial members (`MemberList`). UNVERIFIED whether Tencent leaves the field out
    /// when there are none: an absent list decodes as empty.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `UserDefinedDataList`: a custom group field and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDefinedData {
    /// The field's name (`Key`).
    #[serde(rename = "Key")]
    pub key: String,
    /// The field's value (`Value`). A string in Tencent's sample; the type is UNVERIFIED,
    /// so any JSON value is kept as sent (`null` when absent).
    #[serde(rename = "Value", default)]
    pub value: serde_json::Value,
}

/// `Group.CallbackAfterCreateGroup`: a group was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateGroup {
    /// The new group's ID (`GroupId`; the doc's table says `groupID`, the wire does not).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Who created it (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// Its owner (`Owner_Account`).
    #[serde(rename = "Owner_Account")]
    pub owner_account: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Its name (`Name`).
    #[serde(rename = "Name")]
    pub name: String,
    /// The initial members (`MemberList`).
    #[serde(rename = "MemberList")]
    pub member_list: Vec<Member>,
    /// The custom group fields set at creation (`UserDefinedDataList`); sent only when the
    /// app enables it, empty otherwise.
    #[serde(rename = "UserDefinedDataList", default)]
    pub user_defined_data_list: Vec<UserDefinedData>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackAfterGroupFull`: a group reached its member limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupFull {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackAfterGroupDestroyed`: a group was disbanded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupDestroyed {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Its owner (`Owner_Account`).
    #[serde(rename = "Owner_Account")]
    pub owner_account: String,
    /// Its name (`Name`): in Tencent's sample, not in its table, so it may be absent.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its members when it was disbanded (`MemberList`); not sent for `Community`
    /// groups, where it is empty.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackAfterGroupInfoChanged`: a group's profile changed. Only the changed
/// fields are present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupInfoChanged {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
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
    /// The new notice (`Notification`).
    #[serde(
        rename = "Notification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub notification: Option<String>,
    /// The new avatar URL (`FaceUrl`).
    #[serde(rename = "FaceUrl", default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `GroupAttr`: a group attribute and its value.
///
/// Unlike `UserDefinedDataList`, the wire spells these keys in lower case: `key` and
/// `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAttr {
    /// The attribute's name (`key`).
    #[serde(rename = "key")]
    pub key: String,
    /// The attribute's value (`value`).
    #[serde(rename = "value")]
    pub value: String,
}

/// `Group.CallbackAfterGroupAttrChanged`: a group's custom attributes changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupAttrChanged {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who changed them (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// What was done (`OptionType`): `set` (all attributes replaced), `modify`, `clear`
    /// or `delete`. In Tencent's sample, not in its table, so it may be absent.
    #[serde(
        rename = "OptionType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub option_type: Option<String>,
    /// The attributes concerned (`GroupAttr`).
    #[serde(rename = "GroupAttr")]
    pub group_attr: Vec<GroupAttr>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackAfterChangeGroupOwner`: a group's ownership was transferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterChangeGroupOwner {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who transferred it (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The previous owner (`OldOwner_Account`).
    #[serde(rename = "OldOwner_Account")]
    pub old_owner_account: String,
    /// The new owner (`NewOwner_Account`).
    #[serde(rename = "NewOwner_Account")]
    pub new_owner_account: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackOnDailyGroupQuotaAlarm`: the groups created today (net of those
/// disbanded) passed 70% of the app's daily limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnDailyGroupQuotaAlarm {
    /// Groups created today, net (`QuotaUsed`).
    #[serde(rename = "QuotaUsed", deserialize_with = "crate::de::u32")]
    pub quota_used: u32,
    /// The daily limit (`Quota`).
    #[serde(rename = "Quota", deserialize_with = "crate::de::u32")]
    pub quota: u32,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl fmt::Display for BeforeCreateGroup {
    /// No group yet: the owner and the requested name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Owner_Account={} Name={:?}",
            Word(&self.owner_account),
            self.name
        )
    }
}

impl fmt::Display for OnDailyGroupQuotaAlarm {
    /// No group is concerned: the quota's use and its limit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QuotaUsed={} Quota={}", self.quota_used, self.quota)
    }
}

display_group_id!(
    AfterCreateGroup,
    AfterGroupFull,
    AfterGroupDestroyed,
    AfterGroupInfoChanged,
    AfterGroupAttrChanged,
    AfterChangeGroupOwner,
);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{EVENT_TIME, accounts};
    use super::*;
    use crate::test_support::{assert_required, decode, fixture};

    #[test]
    fn before_create_group() {
        let event: BeforeCreateGroup = decode(fixture!("group", "before_create_group"));
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.owner_account, "leckie");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.name, "MyFirstGroup");
        assert_eq!(event.create_group_num, 123);
        assert_eq!(accounts(&event.member_list), ["bob", "peter"]);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(
            event.to_string(),
            r#"Owner_Account=leckie Name="MyFirstGroup""#
        );
    }

    #[test]
    fn before_create_group_without_member_list() {
        let event: BeforeCreateGroup = decode(fixture!(
            "group",
            "quirk_before_create_group_without_member_list"
        ));
        assert!(event.member_list.is_empty());
        assert_eq!(event.create_group_num, 0);
        assert_eq!(event.group_type, "Work");
        assert_eq!(event.event_time, EVENT_TIME);
    }

    #[test]
    fn after_create_group() {
        let event: AfterCreateGroup = decode(fixture!("group", "after_create_group"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.operator_account, "group_root");
        assert_eq!(event.owner_account, "leckie");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.name, "MyFirstGroup");
        assert_eq!(accounts(&event.member_list), ["bob", "peter"]);
        let data: Vec<_> = event
            .user_defined_data_list
            .iter()
            .map(|d| (d.key.as_str(), d.value.as_str()))
            .collect();
        assert_eq!(
            data,
            [
                ("UserDefined1", Some("hello")),
                ("UserDefined2", Some("world"))
            ]
        );
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
        let written = serde_json::to_value(&event).unwrap();
        assert_eq!(
            written["UserDefinedDataList"][0],
            json!({"Key": "UserDefined1", "Value": "hello"})
        );
        assert_eq!(written["EventTime"], 1_670_574_414_123_u64);
    }

    #[test]
    fn after_create_group_without_user_defined_data() {
        let event: AfterCreateGroup = decode(fixture!(
            "group",
            "quirk_after_create_group_without_user_defined_data"
        ));
        assert!(event.user_defined_data_list.is_empty());
        assert!(event.member_list.is_empty());
    }

    #[test]
    fn user_defined_values_of_any_type_are_kept() {
        let data: UserDefinedData = serde_json::from_str(r#"{"Key":"Level","Value":3}"#).unwrap();
        assert_eq!(data.value, json!(3));
        let data: UserDefinedData = serde_json::from_str(r#"{"Key":"Level"}"#).unwrap();
        assert_eq!(data.value, serde_json::Value::Null);
    }

    #[test]
    fn log_lines_quote_a_value_that_is_not_one_word() {
        let event: AfterGroupFull = serde_json::from_str(
            r#"{"GroupId":"g 1\nGroup.CallbackAfterGroupFull GroupId=forged","EventTime":1}"#,
        )
        .unwrap();
        assert_eq!(
            event.to_string(),
            r#"GroupId="g 1\nGroup.CallbackAfterGroupFull GroupId=forged""#
        );
        let mut event: BeforeCreateGroup = decode(fixture!("group", "before_create_group"));
        event.owner_account = "le ckie".into();
        event.name = "My \"First\" Group".into();
        assert_eq!(
            event.to_string(),
            r#"Owner_Account="le ckie" Name="My \"First\" Group""#
        );
    }

    #[test]
    fn after_group_full() {
        let event: AfterGroupFull = decode(fixture!("group", "after_group_full"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
    }

    #[test]
    fn after_group_destroyed() {
        let event: AfterGroupDestroyed = decode(fixture!("group", "after_group_destroyed"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.owner_account, "leckie");
        assert_eq!(event.name.as_deref(), Some("MyFirstGroup"));
        assert_eq!(accounts(&event.member_list), ["leckie", "peter", "bob"]);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
    }

    #[test]
    fn a_destroyed_community_has_no_member_list() {
        let event: AfterGroupDestroyed =
            decode(fixture!("group", "quirk_group_destroyed_community"));
        assert_eq!(event.group_type, "Community");
        assert!(event.member_list.is_empty());
        assert_eq!(event.name, None);
        let written = serde_json::to_value(&event).unwrap();
        assert!(written.get("Name").is_none(), "{written}");
    }

    #[test]
    fn after_group_info_changed_with_one_and_with_every_field() {
        let event: AfterGroupInfoChanged = decode(fixture!("group", "after_group_info_changed"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.notification.as_deref(), Some("NewNotification"));
        assert_eq!(
            (&event.name, &event.introduction, &event.face_url),
            (&None, &None, &None)
        );
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
        let written = serde_json::to_value(&event).unwrap();
        assert!(written.get("Name").is_none(), "{written}");

        let event: AfterGroupInfoChanged =
            decode(fixture!("group", "quirk_group_info_changed_all_fields"));
        assert_eq!(event.name.as_deref(), Some("NewName"));
        assert_eq!(event.introduction.as_deref(), Some("NewIntroduction"));
        assert_eq!(event.notification.as_deref(), Some("NewNotification"));
        assert_eq!(
            event.face_url.as_deref(),
            Some("http://this.is.new.face.url")
        );
    }

    #[test]
    fn group_attr_keys_are_lower_case() {
        let event: AfterGroupAttrChanged = decode(fixture!("group", "after_group_attr_changed"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(event.option_type.as_deref(), Some("set"));
        let attrs: Vec<_> = event
            .group_attr
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(attrs, [("key1", "value1"), ("key2", "values")]);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
        assert_eq!(
            serde_json::to_value(&event).unwrap()["GroupAttr"][0],
            json!({"key": "key1", "value": "value1"})
        );
        // The capitalised spelling of `UserDefinedDataList` is not this field's.
        assert!(serde_json::from_str::<GroupAttr>(r#"{"Key":"key1","Value":"value1"}"#).is_err());
    }

    #[test]
    fn after_change_group_owner() {
        let event: AfterChangeGroupOwner = decode(fixture!("group", "after_change_group_owner"));
        assert_eq!(event.group_id, "@TGS#2TTV7VSII");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.old_owner_account, "user1");
        assert_eq!(event.new_owner_account, "user2");
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2TTV7VSII");
    }

    #[test]
    fn on_daily_group_quota_alarm_with_numbers_and_with_strings() {
        let event: OnDailyGroupQuotaAlarm = decode(fixture!("group", "on_daily_group_quota_alarm"));
        assert_eq!(event.quota_used, 7321);
        assert_eq!(event.quota, 10_000);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "QuotaUsed=7321 Quota=10000");
        let strings: OnDailyGroupQuotaAlarm =
            decode(fixture!("group", "quirk_quota_numeric_strings"));
        assert_eq!(strings, event);
    }

    #[test]
    fn event_time_is_written_as_a_number_of_milliseconds() {
        // Tencent's group samples send a string; what we write is a number, read alike.
        let event: AfterGroupFull = decode(fixture!("group", "after_group_full"));
        let written = serde_json::to_string(&event).unwrap();
        assert_eq!(
            written,
            r#"{"GroupId":"@TGS#2J4SZEAEL","EventTime":1670574414123}"#
        );
        assert!(
            serde_json::from_str::<AfterGroupFull>(r#"{"GroupId":"g","EventTime":"soon"}"#)
                .is_err()
        );
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert_required::<BeforeCreateGroup>(
            fixture!("group", "before_create_group"),
            &[
                "Operator_Account",
                "Owner_Account",
                "Type",
                "Name",
                "CreateGroupNum",
                "EventTime",
            ],
        );
        assert_required::<AfterCreateGroup>(
            fixture!("group", "after_create_group"),
            &[
                "GroupId",
                "Operator_Account",
                "Owner_Account",
                "Type",
                "Name",
                "MemberList",
                "EventTime",
            ],
        );
        assert_required::<AfterGroupFull>(
            fixture!("group", "after_group_full"),
            &["GroupId", "EventTime"],
        );
        assert_required::<AfterGroupDestroyed>(
            fixture!("group", "after_group_destroyed"),
            &["GroupId", "Type", "Owner_Account", "EventTime"],
        );
        assert_required::<AfterGroupInfoChanged>(
            fixture!("group", "quirk_group_info_changed_all_fields"),
            &["GroupId", "Type", "Operator_Account", "EventTime"],
        );
        assert_required::<AfterGroupAttrChanged>(
            fixture!("group", "after_group_attr_changed"),
            &[
                "GroupId",
                "Type",
                "Operator_Account",
                "GroupAttr",
                "EventTime",
            ],
        );
        assert_required::<AfterChangeGroupOwner>(
            fixture!("group", "after_change_group_owner"),
            &[
                "GroupId",
                "Type",
                "Operator_Account",
                "OldOwner_Account",
                "NewOwner_Account",
                "EventTime",
            ],
        );
        assert_required::<OnDailyGroupQuotaAlarm>(
            fixture!("group", "on_daily_group_quota_alarm"),
            &["QuotaUsed", "Quota", "EventTime"],
        );
    }
}
