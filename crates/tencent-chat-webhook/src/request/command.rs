//! The `CallbackCommand` word that names every webhook.

use std::fmt;

pub use crate::catalog::{CallbackCommand, Family};

impl fmt::Display for CallbackCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for CallbackCommand {
    fn from(command: &str) -> Self {
        Self::from_wire(command)
    }
}

impl PartialEq<str> for CallbackCommand {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::{CallbackCommand, Family};

    #[test]
    fn every_command_round_trips_and_belongs_to_one_family() {
        let mut count = 0;
        for family in Family::ALL {
            for command in family.commands() {
                assert_eq!(CallbackCommand::from_wire(command.as_str()), *command);
                assert_eq!(command.family(), Some(*family));
                count += 1;
            }
        }
        assert_eq!(count, CallbackCommand::ALL.len());
    }

    #[test]
    fn other_commands_are_kept_verbatim() {
        let command = CallbackCommand::from_wire("Group.CallbackAfterMemberKicked");
        assert_eq!(
            command,
            CallbackCommand::Other("Group.CallbackAfterMemberKicked".into())
        );
        assert_eq!(command.to_string(), "Group.CallbackAfterMemberKicked");
        assert_eq!(command.family(), None);
        assert!(!command.is_before());
        // The wire spelling is exact: a different case is another command.
        assert_eq!(
            CallbackCommand::from_wire("officialaccount.callbackaftersendmsg").family(),
            None
        );
    }

    #[test]
    fn before_webhooks_are_the_documented() {
        let before: Vec<_> = CallbackCommand::ALL
            .iter()
            .filter(|command| command.is_before())
            .map(CallbackCommand::as_str)
            .collect();
        assert_eq!(
            before,
            [
                "OfficialAccount.CallbackBeforeCreateOfficialAccount",
                "OfficialAccount.CallbackBeforeAddSubscriber",
                "OfficialAccount.CallbackBeforeSendMsg",
                "Sns.CallbackPrevFriendAdd",
                "Sns.CallbackPrevFriendResponse",
                "C2C.CallbackBeforeSendMsg",
                "Group.CallbackBeforeCreateGroup",
                "Group.CallbackBeforeApplyJoinGroup",
                "Group.CallbackBeforeInviteJoinGroup",
                "Group.CallbackBeforeSendMsg",
                "Group.CallbackBeforeCreateTopic",
            ]
        );
    }
}
