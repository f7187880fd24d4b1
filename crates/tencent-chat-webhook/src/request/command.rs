//! The `CallbackCommand` word that names every webhook.

use std::fmt;

macro_rules! commands {
    ($($(#[$doc:meta])* $variant:ident => $wire:literal,)*) => {
        /// The `CallbackCommand` of a webhook, as sent in the query string and the body.
        ///
        /// The eleven Official Channel commands are modelled; any other command
        /// (other families, commands added later) is kept as [`CallbackCommand::Other`].
        /// The Official Channel was called Official Account, and its command
        /// strings still say `OfficialAccount.`.
        ///
        /// ```
        /// use tencent_chat_webhook::CallbackCommand;
        ///
        /// let command = CallbackCommand::from_wire("OfficialAccount.CallbackAfterSendMsg");
        /// assert_eq!(command, CallbackCommand::OfficialAccountAfterSendMsg);
        /// assert_eq!(command.as_str(), "OfficialAccount.CallbackAfterSendMsg");
        /// assert!(command.is_official_channel());
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CallbackCommand {
            $($(#[$doc])* $variant,)*
            /// Any command this version does not model, spelled as received.
            Other(String),
        }

        impl CallbackCommand {
            /// Every modelled command, in the order of the protocol's documentation.
            pub const OFFICIAL_CHANNEL: [CallbackCommand; 11] = [$(CallbackCommand::$variant,)*];

            /// The command for a wire string; unknown strings become [`CallbackCommand::Other`].
            pub fn from_wire(command: &str) -> Self {
                match command {
                    $($wire => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The command as it is spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(other) => other,
                }
            }
        }
    };
}

commands! {
    /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: a channel is about to be created.
    OfficialAccountBeforeCreate => "OfficialAccount.CallbackBeforeCreateOfficialAccount",
    /// `OfficialAccount.CallbackAfterCreateOfficialAccount`: a channel was created.
    OfficialAccountAfterCreate => "OfficialAccount.CallbackAfterCreateOfficialAccount",
    /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: a channel's profile changed.
    OfficialAccountAfterInfoChanged => "OfficialAccount.CallbackAfterOfficialAccountInfoChanged",
    /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: a channel was destroyed.
    OfficialAccountAfterDestroyed => "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
    /// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe.
    OfficialAccountBeforeAddSubscriber => "OfficialAccount.CallbackBeforeAddSubscriber",
    /// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed.
    OfficialAccountAfterAddSubscriber => "OfficialAccount.CallbackAfterAddSubscriber",
    /// `OfficialAccount.CallbackAfterOfficialAccountFull`: a channel reached its subscriber limit.
    OfficialAccountAfterFull => "OfficialAccount.CallbackAfterOfficialAccountFull",
    /// `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed or were removed.
    OfficialAccountAfterDeleteSubscriber => "OfficialAccount.CallbackAfterDeleteSubscriber",
    /// `OfficialAccount.CallbackBeforeSendMsg`: a channel message is about to be delivered.
    OfficialAccountBeforeSendMsg => "OfficialAccount.CallbackBeforeSendMsg",
    /// `OfficialAccount.CallbackAfterSendMsg`: a channel message was delivered.
    OfficialAccountAfterSendMsg => "OfficialAccount.CallbackAfterSendMsg",
    /// `OfficialAccount.CallbackAfterMsgWithDraw`: channel messages were recalled.
    OfficialAccountAfterMsgWithDraw => "OfficialAccount.CallbackAfterMsgWithDraw",
}

impl CallbackCommand {
    /// Whether this is one of the eleven Official Channel commands.
    pub fn is_official_channel(&self) -> bool {
        !matches!(self, Self::Other(_))
    }

    /// Whether this command is a before-webhook, whose answer decides what Tencent does next.
    pub fn is_before(&self) -> bool {
        matches!(
            self,
            Self::OfficialAccountBeforeCreate
                | Self::OfficialAccountBeforeAddSubscriber
                | Self::OfficialAccountBeforeSendMsg
        )
    }
}

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
    use super::CallbackCommand;

    #[test]
    fn every_official_command_round_trips() {
        for command in CallbackCommand::OFFICIAL_CHANNEL {
            assert!(command.as_str().starts_with("OfficialAccount.Callback"));
            assert_eq!(CallbackCommand::from_wire(command.as_str()), command);
            assert!(command.is_official_channel());
        }
    }

    #[test]
    fn other_commands_are_kept_verbatim() {
        let command = CallbackCommand::from_wire("C2C.CallbackAfterSendMsg");
        assert_eq!(
            command,
            CallbackCommand::Other("C2C.CallbackAfterSendMsg".into())
        );
        assert_eq!(command.to_string(), "C2C.CallbackAfterSendMsg");
        assert!(!command.is_official_channel());
        // The wire spelling is exact: a different case is another command.
        assert!(
            !CallbackCommand::from_wire("officialaccount.callbackaftersendmsg")
                .is_official_channel()
        );
    }

    #[test]
    fn before_webhooks_are_the_three_documented() {
        let before: Vec<_> = CallbackCommand::OFFICIAL_CHANNEL
            .into_iter()
            .filter(CallbackCommand::is_before)
            .collect();
        assert_eq!(
            before,
            [
                CallbackCommand::OfficialAccountBeforeCreate,
                CallbackCommand::OfficialAccountBeforeAddSubscriber,
                CallbackCommand::OfficialAccountBeforeSendMsg,
            ]
        );
    }
}
