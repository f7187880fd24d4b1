//! The Sns family's six events.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::Word;
use crate::time::UnixMillis;

crate::de::wire_enum! {
    /// Whether a friendship goes one way or both (`AddType`).
    pub enum AddType {
        /// `Add_Type_Single`: the target is added to the requester's list only.
        Single = "Add_Type_Single",
        /// `Add_Type_Both`: each is added to the other's list (Tencent's default).
        Both = "Add_Type_Both",
    }
}

crate::de::wire_enum! {
    /// How a user answers a friend request (`ResponseAction`).
    pub enum ResponseAction {
        /// `Response_Action_AgreeAndAdd`: accept, and add the requester as a friend too.
        AgreeAndAdd = "Response_Action_AgreeAndAdd",
        /// `Response_Action_Agree`: let the requester add this user.
        Agree = "Response_Action_Agree",
        /// `Response_Action_Reject`: refuse the request.
        Reject = "Response_Action_Reject",
    }
}

crate::de::wire_enum! {
    /// What added the friends (`ClientCmd`); Tencent spells each value two ways.
    pub enum ClientCmd {
        /// `friend_add` or `FriendAdd`: a friend request.
        FriendAdd = "friend_add" | "FriendAdd",
        /// `friend_response` or `FriendResponse`: the answer to a friend request.
        FriendResponse = "friend_response" | "FriendResponse",
    }
}

/// `Sns.CallbackPrevFriendAdd`: a user is about to add friends. Answer with a
/// [`PrevFriendReply`](super::PrevFriendReply), a verdict per target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrevFriendAdd {
    /// Who sent the request (`Requester_Account`): the user, or an admin through the
    /// REST API.
    #[serde(rename = "Requester_Account")]
    pub requester_account: String,
    /// The user who wants to add friends (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// One entry per user to be added (`FriendItem`).
    #[serde(rename = "FriendItem")]
    pub friend_item: Vec<FriendItem>,
    /// One way or both (`AddType`).
    #[serde(rename = "AddType")]
    pub add_type: AddType,
    /// Whether an admin forces the friendship (`ForceAddFlags` = 1).
    #[serde(
        rename = "ForceAddFlags",
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub force_add: bool,
    /// When it happened (`EventTime`), Unix milliseconds.
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `FriendItem`.
///
/// `Remark`, `GroupName` and `AddWording` are read as empty when absent (UNVERIFIED
/// whether Tencent leaves them out or sends them empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendItem {
    /// The user to be added (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The remark `From_Account` sets for this user (`Remark`).
    #[serde(rename = "Remark", default)]
    pub remark: String,
    /// The friend list the user goes into (`GroupName`).
    #[serde(rename = "GroupName", default)]
    pub group_name: String,
    /// Where the request comes from (`AddSource`), e.g. `AddSource_Type_Android`.
    #[serde(rename = "AddSource")]
    pub add_source: String,
    /// The request's message (`AddWording`).
    #[serde(rename = "AddWording", default)]
    pub add_wording: String,
}

/// `Sns.CallbackPrevFriendResponse`: a user is about to answer friend requests. Answer
/// with a [`PrevFriendReply`](super::PrevFriendReply), a verdict per target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrevFriendResponse {
    /// Who sent the response (`Requester_Account`).
    #[serde(rename = "Requester_Account")]
    pub requester_account: String,
    /// The user who answers (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// One entry per request answered (`ResponseFriendItem`).
    #[serde(rename = "ResponseFriendItem")]
    pub response_friend_item: Vec<ResponseFriendItem>,
    /// When it happened (`EventTime`), Unix milliseconds.
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// One entry of `ResponseFriendItem`.
///
/// `Remark` and `TagName` are read as empty when absent (UNVERIFIED whether Tencent
/// leaves them out or sends them empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFriendItem {
    /// The user who sent the friend request (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The remark `From_Account` sets for this user (`Remark`).
    #[serde(rename = "Remark", default)]
    pub remark: String,
    /// The friend list the user goes into (`TagName`; `GroupName` in a friend request).
    #[serde(rename = "TagName", default)]
    pub tag_name: String,
    /// The answer (`ResponseAction`).
    #[serde(rename = "ResponseAction")]
    pub response_action: ResponseAction,
}

/// `Sns.CallbackFriendAdd`: friends were added (not sent for friends imported through
/// the REST API).
///
/// `EventTime` is not documented for this command: it is read when present (UNVERIFIED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendAdd {
    /// The friendships added (`PairList`).
    #[serde(rename = "PairList")]
    pub pair_list: Vec<AddedPair>,
    /// A request or an answer to one (`ClientCmd`).
    #[serde(rename = "ClientCmd")]
    pub client_cmd: ClientCmd,
    /// The admin account when the REST API added them, otherwise empty (`Admin_Account`).
    #[serde(rename = "Admin_Account")]
    pub admin_account: String,
    /// Whether an admin forced the friendship (`ForceFlag` = 1).
    #[serde(
        rename = "ForceFlag",
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub force_add: bool,
    /// When it happened (`EventTime`), Unix milliseconds; not documented for this command.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// One entry of `FriendAdd`'s `PairList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AddedPair {
    /// The user whose friend list gained `To_Account` (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The user added to that list (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// Who sent the friend request (`Initiator_Account`).
    #[serde(rename = "Initiator_Account")]
    pub initiator_account: String,
}

/// One entry of `PairList` in [`FriendDelete`], [`BlackListAdd`] and [`BlackListDelete`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pair {
    /// The user whose list changed (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The user added to or removed from that list (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
}

/// `Sns.CallbackFriendDelete`: friends were deleted; each `To_Account` left its
/// `From_Account`'s friend list.
///
/// `EventTime` is not documented for this command: it is read when present (UNVERIFIED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendDelete {
    /// The friendships removed (`PairList`).
    #[serde(rename = "PairList")]
    pub pair_list: Vec<Pair>,
    /// When it happened (`EventTime`), Unix milliseconds; not documented for this command.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `Sns.CallbackBlackListAdd`: users were blocked; each `From_Account` blocked its
/// `To_Account`.
///
/// `EventTime` is not documented for this command: it is read when present (UNVERIFIED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlackListAdd {
    /// Who blocked whom (`PairList`).
    #[serde(rename = "PairList")]
    pub pair_list: Vec<Pair>,
    /// When it happened (`EventTime`), Unix milliseconds; not documented for this command.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `Sns.CallbackBlackListDelete`: users were unblocked; each `From_Account` removed its
/// `To_Account` from its blocklist.
///
/// `EventTime` is not documented for this command: it is read when present (UNVERIFIED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlackListDelete {
    /// Who unblocked whom (`PairList`).
    #[serde(rename = "PairList")]
    pub pair_list: Vec<Pair>,
    /// When it happened (`EventTime`), Unix milliseconds; not documented for this command.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

impl PrevFriendAdd {
    /// The users to be added (each `FriendItem[].To_Account`), in order.
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        self.friend_item.iter().map(|item| item.to_account.as_str())
    }
}

impl PrevFriendResponse {
    /// The users whose requests are answered (each `ResponseFriendItem[].To_Account`),
    /// in order.
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        self.response_friend_item
            .iter()
            .map(|item| item.to_account.as_str())
    }
}

fn requester_and_targets<'a>(
    f: &mut fmt::Formatter<'_>,
    requester: &str,
    from: &str,
    targets: impl Iterator<Item = &'a str>,
) -> fmt::Result {
    write!(
        f,
        "Requester_Account={} From_Account={}",
        Word(requester),
        Word(from)
    )?;
    for target in targets {
        write!(f, " To_Account={}", Word(target))?;
    }
    Ok(())
}

impl fmt::Display for PrevFriendAdd {
    /// `Requester_Account=… From_Account=…`, then `To_Account=…` for each target.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        requester_and_targets(
            f,
            &self.requester_account,
            &self.from_account,
            self.targets(),
        )
    }
}

impl fmt::Display for PrevFriendResponse {
    /// `Requester_Account=… From_Account=…`, then `To_Account=…` for each target.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        requester_and_targets(
            f,
            &self.requester_account,
            &self.from_account,
            self.targets(),
        )
    }
}

fn pairs<'a>(
    f: &mut fmt::Formatter<'_>,
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> fmt::Result {
    for (i, (from, to)) in pairs.enumerate() {
        let sep = if i == 0 { "" } else { " " };
        write!(
            f,
            "{sep}From_Account={} To_Account={}",
            Word(from),
            Word(to)
        )?;
    }
    Ok(())
}

impl fmt::Display for FriendAdd {
    /// `From_Account=… To_Account=…` for each pair, then `Admin_Account=…` when an admin
    /// added them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pairs(
            f,
            self.pair_list
                .iter()
                .map(|p| (p.from_account.as_str(), p.to_account.as_str())),
        )?;
        if !self.admin_account.is_empty() {
            let sep = if self.pair_list.is_empty() { "" } else { " " };
            write!(f, "{sep}Admin_Account={}", Word(&self.admin_account))?;
        }
        Ok(())
    }
}

macro_rules! pair_events {
    ($($event:ident),*) => {$(
        impl fmt::Display for $event {
            /// `From_Account=… To_Account=…` for each pair.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                pairs(
                    f,
                    self.pair_list
                        .iter()
                        .map(|p| (p.from_account.as_str(), p.to_account.as_str())),
                )
            }
        }
    )*};
}

pair_events!(FriendDelete, BlackListAdd, BlackListDelete);

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::test_support::{decode, fixture};

    fn refused<E: DeserializeOwned>(bodies: &[&str]) {
        for body in bodies {
            assert!(serde_json::from_str::<E>(body).is_err(), "{body}");
        }
    }

    const THREE_PAIRS: &str = "From_Account=id To_Account=id1 From_Account=id To_Account=id2 From_Account=id To_Account=id3";

    #[test]
    fn prev_friend_add_sample() {
        let event: PrevFriendAdd = decode(fixture!("sns", "prev_friend_add"));
        assert_eq!(event.requester_account, "id");
        assert_eq!(event.from_account, "id");
        assert_eq!(event.add_type, AddType::Both);
        assert!(!event.force_add);
        assert_eq!(event.event_time, UnixMillis(1_631_777_344_870));
        let first = &event.friend_item[0];
        assert_eq!(first.to_account, "id1");
        assert_eq!(first.remark, "remark1");
        assert_eq!(first.group_name, "group1");
        assert_eq!(first.add_source, "AddSource_Type_Android");
        assert_eq!(first.add_wording, "this is id1!");
        assert_eq!(event.targets().collect::<Vec<_>>(), ["id1", "id2"]);
        assert_eq!(
            event.to_string(),
            "Requester_Account=id From_Account=id To_Account=id1 To_Account=id2"
        );
    }

    #[test]
    fn prev_friend_add_items_without_the_optional_fields() {
        let event: PrevFriendAdd = decode(fixture!("sns", "quirk_prev_friend_add_minimal_items"));
        assert_eq!(event.add_type, AddType::Single);
        assert!(event.force_add);
        let item = &event.friend_item[0];
        assert_eq!(item.add_source, "AddSource_Type_Web");
        assert_eq!(
            (
                item.remark.as_str(),
                item.group_name.as_str(),
                item.add_wording.as_str()
            ),
            ("", "", "")
        );
    }

    #[test]
    fn prev_friend_response_sample() {
        let event: PrevFriendResponse = decode(fixture!("sns", "prev_friend_response"));
        assert_eq!(event.requester_account, "id");
        assert_eq!(event.from_account, "id");
        assert_eq!(event.event_time, UnixMillis(1_631_777_645_424));
        let actions: Vec<_> = event
            .response_friend_item
            .iter()
            .map(|item| &item.response_action)
            .collect();
        assert_eq!(
            actions,
            [&ResponseAction::AgreeAndAdd, &ResponseAction::Reject]
        );
        assert_eq!(event.response_friend_item[1].tag_name, "group2");
        assert_eq!(event.response_friend_item[1].remark, "remark2");
        assert_eq!(event.targets().collect::<Vec<_>>(), ["id1", "id2"]);
        assert_eq!(
            event.to_string(),
            "Requester_Account=id From_Account=id To_Account=id1 To_Account=id2"
        );
    }

    #[test]
    fn prev_friend_response_items_without_the_optional_fields() {
        let event: PrevFriendResponse =
            decode(fixture!("sns", "quirk_prev_friend_response_minimal_items"));
        let item = &event.response_friend_item[0];
        assert_eq!(item.response_action, ResponseAction::Agree);
        assert_eq!((item.remark.as_str(), item.tag_name.as_str()), ("", ""));
    }

    #[test]
    fn friend_add_sample() {
        let event: FriendAdd = decode(fixture!("sns", "friend_add"));
        assert_eq!(event.pair_list.len(), 3);
        assert_eq!(event.pair_list[2].to_account, "id3");
        assert_eq!(event.pair_list[0].initiator_account, "id");
        assert_eq!(event.client_cmd, ClientCmd::FriendAdd);
        assert_eq!(event.admin_account, "");
        assert!(event.force_add);
        assert_eq!(event.event_time, None);
        assert_eq!(event.to_string(), THREE_PAIRS);
    }

    #[test]
    fn friend_add_client_cmd_in_either_spelling() {
        let event: FriendAdd = decode(fixture!("sns", "quirk_friend_add_response_spellings"));
        assert_eq!(event.client_cmd, ClientCmd::FriendResponse);
        assert!(!event.force_add);
        assert_eq!(event.to_string(), "From_Account=id1 To_Account=id");
        for (wire, cmd) in [
            ("friend_add", ClientCmd::FriendAdd),
            ("FriendAdd", ClientCmd::FriendAdd),
            ("friend_response", ClientCmd::FriendResponse),
            ("FriendResponse", ClientCmd::FriendResponse),
            ("friend_import", ClientCmd::Other("friend_import".into())),
        ] {
            assert_eq!(ClientCmd::from_wire(wire), cmd, "{wire}");
        }
        // Written back in the sample's spelling.
        assert_eq!(
            serde_json::to_value(&event).unwrap()["ClientCmd"],
            "friend_response"
        );
        let mut by_admin = event;
        by_admin.admin_account = "admin".into();
        assert_eq!(
            by_admin.to_string(),
            "From_Account=id1 To_Account=id Admin_Account=admin"
        );
    }

    #[test]
    fn pair_samples() {
        let event: FriendDelete = decode(fixture!("sns", "friend_delete"));
        assert_eq!(event.pair_list[0].from_account, "id");
        assert_eq!(event.pair_list[0].to_account, "id1");
        assert_eq!(event.event_time, None);
        assert_eq!(event.to_string(), THREE_PAIRS);
        let event: BlackListAdd = decode(fixture!("sns", "black_list_add"));
        assert_eq!(event.pair_list[1].to_account, "id2");
        assert_eq!(event.to_string(), THREE_PAIRS);
        let event: BlackListDelete = decode(fixture!("sns", "black_list_delete"));
        assert_eq!(event.pair_list[2].to_account, "id3");
        assert_eq!(event.to_string(), THREE_PAIRS);
    }

    #[test]
    fn an_undocumented_event_time_is_read_when_sent() {
        let event: FriendDelete = decode(fixture!("sns", "quirk_friend_delete_event_time"));
        assert_eq!(event.event_time, Some(UnixMillis(1_631_777_645_424)));
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["EventTime"], 1_631_777_645_424_u64);
        let json =
            serde_json::to_value(decode::<FriendDelete>(fixture!("sns", "friend_delete"))).unwrap();
        assert!(json.get("EventTime").is_none());
    }

    #[test]
    fn events_serialize_back_to_the_same_events() {
        // `decode` checks that what the event writes decodes to the same event.
        decode::<PrevFriendAdd>(fixture!("sns", "prev_friend_add"));
        decode::<PrevFriendAdd>(fixture!("sns", "quirk_prev_friend_add_minimal_items"));
        decode::<PrevFriendResponse>(fixture!("sns", "prev_friend_response"));
        decode::<PrevFriendResponse>(fixture!("sns", "quirk_prev_friend_response_minimal_items"));
        decode::<FriendAdd>(fixture!("sns", "friend_add"));
        decode::<FriendAdd>(fixture!("sns", "quirk_friend_add_response_spellings"));
        decode::<FriendDelete>(fixture!("sns", "friend_delete"));
        decode::<FriendDelete>(fixture!("sns", "quirk_friend_delete_event_time"));
        decode::<BlackListAdd>(fixture!("sns", "black_list_add"));
        decode::<BlackListDelete>(fixture!("sns", "black_list_delete"));
        let json =
            serde_json::to_value(decode::<PrevFriendAdd>(fixture!("sns", "prev_friend_add")))
                .unwrap();
        assert_eq!(json["ForceAddFlags"], 0);
        assert_eq!(json["AddType"], "Add_Type_Both");
        assert_eq!(json["FriendItem"][1]["AddWording"], "this is id2!");
    }

    #[test]
    fn missing_required_fields_are_errors() {
        refused::<PrevFriendAdd>(&[
            r#"{"From_Account":"a","FriendItem":[],"AddType":"Add_Type_Both","ForceAddFlags":0,"EventTime":1}"#,
            r#"{"Requester_Account":"a","FriendItem":[],"AddType":"Add_Type_Both","ForceAddFlags":0,"EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","AddType":"Add_Type_Both","ForceAddFlags":0,"EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","FriendItem":[],"ForceAddFlags":0,"EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","FriendItem":[],"AddType":"Add_Type_Both","EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","FriendItem":[],"AddType":"Add_Type_Both","ForceAddFlags":0}"#,
            r#"{"Requester_Account":"a","From_Account":"a","FriendItem":[{"AddSource":"s"}],"AddType":"Add_Type_Both","ForceAddFlags":0,"EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","FriendItem":[{"To_Account":"b"}],"AddType":"Add_Type_Both","ForceAddFlags":0,"EventTime":1}"#,
        ]);
        refused::<PrevFriendResponse>(&[
            r#"{"From_Account":"a","ResponseFriendItem":[],"EventTime":1}"#,
            r#"{"Requester_Account":"a","ResponseFriendItem":[],"EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","ResponseFriendItem":[]}"#,
            r#"{"Requester_Account":"a","From_Account":"a","ResponseFriendItem":[{"ResponseAction":"Response_Action_Agree"}],"EventTime":1}"#,
            r#"{"Requester_Account":"a","From_Account":"a","ResponseFriendItem":[{"To_Account":"b"}],"EventTime":1}"#,
        ]);
        refused::<FriendAdd>(&[
            r#"{"ClientCmd":"friend_add","Admin_Account":"","ForceFlag":0}"#,
            r#"{"PairList":[],"Admin_Account":"","ForceFlag":0}"#,
            r#"{"PairList":[],"ClientCmd":"friend_add","ForceFlag":0}"#,
            r#"{"PairList":[],"ClientCmd":"friend_add","Admin_Account":""}"#,
            r#"{"PairList":[{"From_Account":"a","To_Account":"b"}],"ClientCmd":"friend_add","Admin_Account":"","ForceFlag":0}"#,
        ]);
        let pairless = [
            r#"{}"#,
            r#"{"PairList":[{"From_Account":"a"}]}"#,
            r#"{"PairList":[{"To_Account":"b"}]}"#,
            r#"{"PairList":{}}"#,
        ];
        refused::<FriendDelete>(&pairless);
        refused::<BlackListAdd>(&pairless);
        refused::<BlackListDelete>(&pairless);
    }

    #[test]
    fn display_quotes_a_value_that_is_not_one_word() {
        let mut event: FriendAdd = decode(fixture!("sns", "friend_add"));
        event.pair_list[0].to_account = "a b".to_owned();
        assert!(event.to_string().contains(r#"To_Account="a b""#), "{event}");
    }
}
