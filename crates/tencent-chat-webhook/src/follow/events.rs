//! The Follow family's two events.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::Word;
use crate::time::UnixMillis;

/// `Follow.CallbackAfterFollowAdd`: a user followed other users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterFollowAdd {
    /// Who follows (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The users now followed (`FollowList`).
    #[serde(rename = "FollowList")]
    pub follow_list: Vec<FollowItem>,
    /// When it happened (`EventTime`), Unix milliseconds.
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `FollowList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FollowItem {
    /// The followed user (`To_Account`), a single string here.
    #[serde(rename = "To_Account")]
    pub to_account: String,
}

/// `Follow.CallbackAfterFollowDelete`: a user unfollowed other users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterFollowDelete {
    /// Who unfollowed (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The users no longer followed (`To_Account`): an array of strings, unlike
    /// `FollowList[].To_Account` in a follow. A lone string is read as one user.
    #[serde(rename = "To_Account", deserialize_with = "crate::de::one_or_many")]
    pub to_account: Vec<String>,
    /// When it happened (`EventTime`), Unix milliseconds.
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl fmt::Display for AfterFollowAdd {
    /// `From_Account=…`, then `To_Account=…` for each followed user.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "From_Account={}", Word(&self.from_account))?;
        for item in &self.follow_list {
            write!(f, " To_Account={}", Word(&item.to_account))?;
        }
        Ok(())
    }
}

impl fmt::Display for AfterFollowDelete {
    /// `From_Account=…`, then `To_Account=…` for each unfollowed user.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "From_Account={}", Word(&self.from_account))?;
        for account in &self.to_account {
            write!(f, " To_Account={}", Word(account))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{decode, fixture};

    #[test]
    fn follow_add_sample() {
        let event: AfterFollowAdd = decode(fixture!("follow", "after_follow_add"));
        assert_eq!(event.from_account, "UserID_001");
        let followed: Vec<_> = event
            .follow_list
            .iter()
            .map(|item| item.to_account.as_str())
            .collect();
        assert_eq!(followed, ["UserID_002", "UserID_003"]);
        assert_eq!(event.event_time, UnixMillis(1_702_018_343_678));
        assert_eq!(
            event.to_string(),
            "From_Account=UserID_001 To_Account=UserID_002 To_Account=UserID_003"
        );
    }

    #[test]
    fn follow_delete_sample() {
        let event: AfterFollowDelete = decode(fixture!("follow", "after_follow_delete"));
        assert_eq!(event.from_account, "UserID_001");
        assert_eq!(event.to_account, ["UserID_002", "UserID_003"]);
        assert_eq!(event.event_time, UnixMillis(1_702_018_343_678));
        assert_eq!(
            event.to_string(),
            "From_Account=UserID_001 To_Account=UserID_002 To_Account=UserID_003"
        );
    }

    #[test]
    fn to_account_is_a_string_per_item_in_a_follow_and_an_array_in_an_unfollow() {
        // Each command's own shape only: the other shape is an error.
        assert!(
            serde_json::from_str::<AfterFollowAdd>(
                r#"{"From_Account":"a","FollowList":[{"To_Account":["b"]}],"EventTime":1}"#
            )
            .is_err()
        );
        assert!(
            serde_json::from_str::<AfterFollowDelete>(
                r#"{"From_Account":"a","To_Account":[{"To_Account":"b"}],"EventTime":1}"#
            )
            .is_err()
        );
        // An unfollow of one user sent as a lone string reads as a list of one.
        let event: AfterFollowDelete = decode(fixture!(
            "follow",
            "quirk_after_follow_delete_one_to_account"
        ));
        assert_eq!(event.to_account, ["UserID_002"]);
        assert_eq!(
            serde_json::to_value(&event).unwrap()["To_Account"],
            serde_json::json!(["UserID_002"])
        );
    }

    #[test]
    fn serializes_back_to_the_same_events() {
        // `decode` checks that what the event writes decodes to the same event.
        decode::<AfterFollowAdd>(fixture!("follow", "after_follow_add"));
        decode::<AfterFollowDelete>(fixture!("follow", "after_follow_delete"));
    }

    #[test]
    fn missing_required_fields_are_errors() {
        for body in [
            r#"{"FollowList":[],"EventTime":1}"#,
            r#"{"From_Account":"a","EventTime":1}"#,
            r#"{"From_Account":"a","FollowList":[]}"#,
            r#"{"From_Account":"a","FollowList":[{}],"EventTime":1}"#,
        ] {
            assert!(
                serde_json::from_str::<AfterFollowAdd>(body).is_err(),
                "{body}"
            );
        }
        for body in [
            r#"{"To_Account":[],"EventTime":1}"#,
            r#"{"From_Account":"a","EventTime":1}"#,
            r#"{"From_Account":"a","To_Account":[]}"#,
            r#"{"From_Account":"a","To_Account":[1],"EventTime":1}"#,
            r#"{"From_Account":"a","To_Account":null,"EventTime":1}"#,
        ] {
            assert!(
                serde_json::from_str::<AfterFollowDelete>(body).is_err(),
                "{body}"
            );
        }
    }
}
