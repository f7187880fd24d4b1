//! The Profile family's one event.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::Word;
use crate::time::UnixMillis;

/// `Profile.CallbackPortraitSet`: a user's profile was updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PortraitSet {
    /// Who made the update (`Operator_Account`): the user, or an admin through the REST API.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// Whose profile changed (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The fields that were updated, with their new values (`ProfileItem`).
    #[serde(rename = "ProfileItem")]
    pub profile_item: Vec<ProfileItem>,
    /// When it happened (`EventTime`), Unix milliseconds.
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl PortraitSet {
    /// The new value of the field `tag` (e.g. `Tag_Profile_IM_Nick`), if it was updated.
    pub fn value(&self, tag: &str) -> Option<&serde_json::Value> {
        self.profile_item
            .iter()
            .find(|item| item.tag == tag)
            .map(|item| &item.value)
    }
}

/// One entry of `ProfileItem`: a field and its new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProfileItem {
    /// The field (`Tag`), e.g. `Tag_Profile_IM_Nick` or `Tag_Profile_Custom_Data`.
    #[serde(rename = "Tag")]
    pub tag: String,
    /// Its new value (`Value`): a string or an unsigned number, depending on the tag.
    #[serde(rename = "Value")]
    pub value: serde_json::Value,
}

impl fmt::Display for PortraitSet {
    /// `Operator_Account=… From_Account=…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Operator_Account={} From_Account={}",
            Word(&self.operator_account),
            Word(&self.from_account)
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_support::{decode, fixture};

    #[test]
    fn the_documented_sample() {
        let event: PortraitSet = decode(fixture!("profile", "portrait_set"));
        assert_eq!(event.operator_account, "id1");
        assert_eq!(event.from_account, "id1");
        assert_eq!(event.event_time, UnixMillis(1_656_921_052_497));
        let tags: Vec<_> = event.profile_item.iter().map(|i| i.tag.as_str()).collect();
        assert_eq!(
            tags,
            [
                "Tag_Profile_IM_Nick",
                "Tag_Profile_IM_Gender",
                "Tag_Profile_IM_AllowType",
                "Tag_Profile_Custom_Data"
            ]
        );
        assert_eq!(event.value("Tag_Profile_IM_Nick"), Some(&json!("nick1")));
        assert_eq!(
            event.value("Tag_Profile_Custom_Data"),
            Some(&json!("your custom data"))
        );
        assert_eq!(event.value("Tag_Profile_IM_Level"), None);
        assert_eq!(event.to_string(), "Operator_Account=id1 From_Account=id1");
    }

    #[test]
    fn values_keep_their_json_type() {
        let event: PortraitSet = decode(fixture!("profile", "quirk_untyped_values"));
        assert_eq!(event.event_time, UnixMillis(1_656_921_052_497));
        assert_eq!(
            event.value("Tag_Profile_IM_BirthDay"),
            Some(&json!(19_900_101))
        );
        assert_eq!(
            event.value("Tag_Profile_IM_Level").and_then(|v| v.as_u64()),
            Some(3)
        );
        assert_eq!(event.value("Tag_Profile_Custom_Score"), Some(&json!("42")));
        assert_eq!(event.to_string(), "Operator_Account=admin From_Account=id1");
    }

    #[test]
    fn serializes_back_to_the_same_event() {
        // `decode` checks that what the event writes decodes to the same event.
        for fixture in [
            fixture!("profile", "portrait_set"),
            fixture!("profile", "quirk_untyped_values"),
        ] {
            decode::<PortraitSet>(fixture);
        }
        let json = serde_json::to_value(decode::<PortraitSet>(fixture!(
            "profile",
            "quirk_untyped_values"
        )))
        .unwrap();
        assert_eq!(json["ProfileItem"][0]["Value"], 19_900_101);
        assert_eq!(json["EventTime"], 1_656_921_052_497_u64);
    }

    #[test]
    fn missing_required_fields_are_errors() {
        for body in [
            r#"{"From_Account":"a","ProfileItem":[],"EventTime":1}"#,
            r#"{"Operator_Account":"a","ProfileItem":[],"EventTime":1}"#,
            r#"{"Operator_Account":"a","From_Account":"a","EventTime":1}"#,
            r#"{"Operator_Account":"a","From_Account":"a","ProfileItem":[]}"#,
            r#"{"Operator_Account":"a","From_Account":"a","ProfileItem":[{"Value":1}],"EventTime":1}"#,
            r#"{"Operator_Account":"a","From_Account":"a","ProfileItem":[{"Tag":"t"}],"EventTime":1}"#,
        ] {
            assert!(serde_json::from_str::<PortraitSet>(body).is_err(), "{body}");
        }
    }
}
