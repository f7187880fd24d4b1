//! A group's members: asking to join, invited, joined, left, online state, role and name
//! card.

use serde::{Deserialize, Serialize};

use crate::time::UnixMillis;

/// One entry of a member list (`MemberList`, `NewMemberList`, `ExitMemberList`,
/// `DestinationMembers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Member {
    /// The member's user ID (`Member_Account`).
    #[serde(rename = "Member_Account")]
    pub member_account: String,
}

/// `Group.CallbackBeforeApplyJoinGroup`: a user asks to join a group. Answer with a
/// [`BeforeApplyJoinGroupReply`](super::BeforeApplyJoinGroupReply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeApplyJoinGroup {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who asks to join (`Requestor_Account`, spelt so, unlike the friend webhooks'
    /// `Requester_Account`).
    #[serde(rename = "Requestor_Account")]
    pub requestor_account: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackBeforeInviteJoinGroup`: users are about to be invited into a group.
/// Answer with a [`BeforeInviteJoinGroupReply`](super::BeforeInviteJoinGroupReply), which
/// may refuse some of them and let the others in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeInviteJoinGroup {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who invites them (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The users invited (`DestinationMembers`).
    #[serde(rename = "DestinationMembers")]
    pub destination_members: Vec<Member>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackAfterNewMemberJoin`: users joined a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterNewMemberJoin {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// How they joined (`JoinType`): `Apply` (they asked) or `Invited`.
    #[serde(rename = "JoinType")]
    pub join_type: String,
    /// Who let them in or invited them (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The new members (`NewMemberList`).
    #[serde(rename = "NewMemberList")]
    pub new_member_list: Vec<Member>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackAfterMemberExit`: members left a group or were removed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterMemberExit {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Public`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// How they left (`ExitType`): `Kicked` or `Quit` (other values UNVERIFIED, kept as sent).
    #[serde(rename = "ExitType")]
    pub exit_type: String,
    /// Who removed them, or the member who quit (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The members who left (`ExitMemberList`).
    #[serde(rename = "ExitMemberList")]
    pub exit_member_list: Vec<Member>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Group.CallbackOnMemberStateChange`: members of an audio-video group went offline or
/// came back online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnMemberStateChange {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`). UNVERIFIED: only a third-party SDK reads it, Tencent's page
    /// does not show it; `None` when absent.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<String>,
    /// What happened (`EventType`): `Offline` (disconnected) or `Online` (reconnected).
    #[serde(rename = "EventType")]
    pub event_type: String,
    /// The members concerned (`MemberList`).
    #[serde(rename = "MemberList")]
    pub member_list: Vec<Member>,
    /// When it happened (`EventTime`). Tencent's page does not document it for this
    /// command; `None` when absent.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `Group.CallbackAfterMemberFieldChanged`: a member's role or name card changed.
///
/// Tencent's page names the member `Member_Account`, a third-party SDK `Modified_Account`;
/// which one the server sends is UNVERIFIED, so either decodes (`Member_Account` wins
/// when both are present), and the event writes `Member_Account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(try_from = "MemberFieldChangedWire")]
pub struct AfterMemberFieldChanged {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Its type (`Type`), e.g. `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who made the change (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The member whose fields changed (`Member_Account`, or `Modified_Account`).
    #[serde(rename = "Member_Account")]
    pub member_account: String,
    /// The new role (`Role`): `Admin` (made an administrator) or `Member` (no longer
    /// one). Present only when the role changed (UNVERIFIED; `None` when absent).
    #[serde(rename = "Role", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The new name card (`NameCard`). Present only when it changed (UNVERIFIED; `None`
    /// when absent).
    #[serde(rename = "NameCard", default, skip_serializing_if = "Option::is_none")]
    pub name_card: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// [`AfterMemberFieldChanged`] as it may arrive, with the member under either name.
#[derive(Deserialize)]
struct MemberFieldChangedWire {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "Type")]
    group_type: String,
    #[serde(rename = "Operator_Account")]
    operator_account: String,
    #[serde(rename = "Member_Account", default)]
    member_account: Option<String>,
    #[serde(rename = "Modified_Account", default)]
    modified_account: Option<String>,
    #[serde(rename = "Role", default)]
    role: Option<String>,
    #[serde(rename = "NameCard", default)]
    name_card: Option<String>,
    #[serde(rename = "EventTime")]
    event_time: UnixMillis,
}

impl TryFrom<MemberFieldChangedWire> for AfterMemberFieldChanged {
    type Error = &'static str;

    fn try_from(wire: MemberFieldChangedWire) -> Result<Self, Self::Error> {
        let member_account = wire
            .member_account
            .or(wire.modified_account)
            .ok_or("missing field `Member_Account` (or `Modified_Account`)")?;
        Ok(Self {
            group_id: wire.group_id,
            group_type: wire.group_type,
            operator_account: wire.operator_account,
            member_account,
            role: wire.role,
            name_card: wire.name_card,
            event_time: wire.event_time,
        })
    }
}

display_group_id!(
    BeforeApplyJoinGroup,
    BeforeInviteJoinGroup,
    AfterNewMemberJoin,
    AfterMemberExit,
    OnMemberStateChange,
    AfterMemberFieldChanged,
);

#[cfg(test)]
mod tests {
    use super::super::tests::{EVENT_TIME, accounts};
    use super::*;
    use crate::test_support::{assert_required, decode, fixture};

    #[test]
    fn before_apply_join_group() {
        let event: BeforeApplyJoinGroup = decode(fixture!("group", "before_apply_join_group"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.requestor_account, "jared");
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
    }

    #[test]
    fn before_invite_join_group() {
        let event: BeforeInviteJoinGroup = decode(fixture!("group", "before_invite_join_group"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(accounts(&event.destination_members), ["jared", "leckie"]);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
        assert_eq!(
            serde_json::to_value(&event).unwrap()["DestinationMembers"][1],
            serde_json::json!({"Member_Account": "leckie"})
        );
    }

    #[test]
    fn after_new_member_join() {
        let event: AfterNewMemberJoin = decode(fixture!("group", "after_new_member_join"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.join_type, "Apply");
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(accounts(&event.new_member_list), ["jared", "tommy"]);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
    }

    #[test]
    fn event_time_as_a_string_and_as_a_number() {
        let number: AfterNewMemberJoin = decode(fixture!("group", "quirk_event_time_number"));
        let string: AfterNewMemberJoin = decode(fixture!("group", "after_new_member_join"));
        assert_eq!(number.event_time, string.event_time);
        assert_eq!(number.event_time, EVENT_TIME);
        assert_eq!(number.join_type, "Invited");
    }

    #[test]
    fn after_member_exit() {
        let event: AfterMemberExit = decode(fixture!("group", "after_member_exit"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.exit_type, "Kicked");
        assert_eq!(event.operator_account, "leckie");
        assert_eq!(accounts(&event.exit_member_list), ["jared", "tommy"]);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
    }

    #[test]
    fn on_member_state_change_without_and_with_type_and_event_time() {
        let event: OnMemberStateChange = decode(fixture!("group", "on_member_state_change"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.event_type, "Offline");
        assert_eq!(accounts(&event.member_list), ["jared", "tommy"]);
        assert_eq!(event.group_type, None);
        assert_eq!(event.event_time, None);
        assert_eq!(event.to_string(), "GroupId=@TGS#2J4SZEAEL");
        let written = serde_json::to_value(&event).unwrap();
        assert!(written.get("EventTime").is_none(), "{written}");

        let event: OnMemberStateChange = decode(fixture!(
            "group",
            "quirk_member_state_change_with_type_and_event_time"
        ));
        assert_eq!(event.event_type, "Online");
        assert_eq!(event.group_type.as_deref(), Some("AVChatRoom"));
        assert_eq!(event.event_time, Some(EVENT_TIME));
    }

    #[test]
    fn after_member_field_changed() {
        let event: AfterMemberFieldChanged =
            decode(fixture!("group", "after_member_field_changed"));
        assert_eq!(event.group_id, "@TGS#xxxx");
        assert_eq!(event.group_type, "Community");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.member_account, "123456");
        assert_eq!(event.role.as_deref(), Some("Admin"));
        assert_eq!(event.name_card.as_deref(), Some("jacky"));
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.to_string(), "GroupId=@TGS#xxxx");
    }

    #[test]
    fn the_changed_member_under_either_name() {
        let event: AfterMemberFieldChanged = decode(fixture!("group", "quirk_modified_account"));
        assert_eq!(event.member_account, "123456");
        assert_eq!(event.role, None);
        assert_eq!(event.name_card.as_deref(), Some("jacky"));
        let written = serde_json::to_value(&event).unwrap();
        assert_eq!(written["Member_Account"], "123456");
        assert!(written.get("Modified_Account").is_none(), "{written}");

        let event: AfterMemberFieldChanged =
            decode(fixture!("group", "quirk_member_and_modified_account"));
        assert_eq!(event.member_account, "123456");
        assert_eq!(event.role.as_deref(), Some("Member"));
        assert_eq!(event.name_card, None);
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert_required::<BeforeApplyJoinGroup>(
            fixture!("group", "before_apply_join_group"),
            &["GroupId", "Type", "Requestor_Account", "EventTime"],
        );
        assert_required::<BeforeInviteJoinGroup>(
            fixture!("group", "before_invite_join_group"),
            &[
                "GroupId",
                "Type",
                "Operator_Account",
                "DestinationMembers",
                "EventTime",
            ],
        );
        assert_required::<AfterNewMemberJoin>(
            fixture!("group", "after_new_member_join"),
            &[
                "GroupId",
                "Type",
                "JoinType",
                "Operator_Account",
                "NewMemberList",
                "EventTime",
            ],
        );
        assert_required::<AfterMemberExit>(
            fixture!("group", "after_member_exit"),
            &[
                "GroupId",
                "Type",
                "ExitType",
                "Operator_Account",
                "ExitMemberList",
                "EventTime",
            ],
        );
        assert_required::<OnMemberStateChange>(
            fixture!(
                "group",
                "quirk_member_state_change_with_type_and_event_time"
            ),
            &["GroupId", "EventType", "MemberList"],
        );
        assert_required::<AfterMemberFieldChanged>(
            fixture!("group", "after_member_field_changed"),
            &[
                "GroupId",
                "Type",
                "Operator_Account",
                "Member_Account",
                "EventTime",
            ],
        );
        assert_required::<AfterMemberFieldChanged>(
            fixture!("group", "quirk_modified_account"),
            &[
                "GroupId",
                "Type",
                "Operator_Account",
                "Modified_Account",
                "EventTime",
            ],
        );
        // With both names, either one alone is enough.
        assert_required::<AfterMemberFieldChanged>(
            fixture!("group", "quirk_member_and_modified_account"),
            &["GroupId", "Type", "Operator_Account", "EventTime"],
        );
        assert!(serde_json::from_str::<Member>("{}").is_err());
    }
}
