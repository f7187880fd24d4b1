//! The macro that turns the catalog's table into the command enum, the family enum, each
//! family's event enum, handler trait and dispatch, the enum of every event, the set of
//! handlers mounted on the one URL, and the test kit's samples.

/// Expands the table of [`catalog`](super). Read the table, not this.
macro_rules! webhooks {
    ($(
        $(#[$family_doc:meta])*
        $module:ident $Family:ident: $Enum:ident, $Handler:ident {
            $(
                $(#[$doc:meta])*
                $Variant:ident = $wire:literal => $Event:ident, $method:ident
                    $(-> $Reply:ident)? $([$quirk:ident])?;
            )*
        }
    )*) => {
        /// The `CallbackCommand` of a webhook, as sent in the query string and (for most
        /// commands) in the body.
        ///
        /// Every command Tencent documents is a variant, named after its family and its
        /// words without `Callback`; a command this version does not know is kept as
        /// [`CallbackCommand::Other`], spelled as received. The Official Channel was
        /// called Official Account, and its command strings still say `OfficialAccount.`.
        ///
        /// ```
        /// use tencent_chat_webhook::CallbackCommand;
        /// use tencent_chat_webhook::request::Family;
        ///
        /// let command = CallbackCommand::from_wire("C2C.CallbackBeforeSendMsg");
        /// assert_eq!(command, CallbackCommand::C2cBeforeSendMsg);
        /// assert_eq!(command.as_str(), "C2C.CallbackBeforeSendMsg");
        /// assert_eq!(command.family(), Some(Family::C2c));
        /// assert!(command.is_before());
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CallbackCommand {
            $($($(#[$doc])* $Variant,)*)*
            /// Any command this version does not model, spelled as received.
            Other(String),
        }

        impl CallbackCommand {
            /// Every modelled command, family by family, in the order of Tencent's documentation.
            pub const ALL: &'static [CallbackCommand] = &[$($(Self::$Variant,)*)*];

            /// The command for a wire string; unknown strings become [`CallbackCommand::Other`].
            pub fn from_wire(command: &str) -> Self {
                match command {
                    $($($wire => Self::$Variant,)*)*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The command as it is spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($(Self::$Variant => $wire,)*)*
                    Self::Other(other) => other,
                }
            }

            /// The wire name of a command this version models; `None` for any other.
            pub(crate) fn known_wire_name(&self) -> Option<&'static str> {
                match self {
                    $($(Self::$Variant => Some($wire),)*)*
                    Self::Other(_) => None,
                }
            }

            /// Its family; `None` for a command this version does not model.
            pub fn family(&self) -> Option<Family> {
                match self {
                    $($(Self::$Variant)|* => Some(Family::$Family),)*
                    Self::Other(_) => None,
                }
            }

            /// Whether this command is a before-webhook, whose answer decides what Tencent
            /// does next (allow, refuse, rewrite). Tencent never retries one.
            pub fn is_before(&self) -> bool {
                match self {
                    $($(Self::$Variant => webhooks!(@is_before $($Reply)?),)*)*
                    Self::Other(_) => false,
                }
            }

            /// Whether the body repeats the command in a `CallbackCommand` field. Push
            /// reports (a batch of `Events`) and content moderation results do not; the
            /// query's command decides for them.
            pub fn is_named_in_body(&self) -> bool {
                match self {
                    $($(Self::$Variant => webhooks!(@named_in_body $($quirk)?),)*)*
                    Self::Other(_) => true,
                }
            }
        }

        /// The families of webhooks, one module each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Family {
            $(
                #[doc = concat!("The commands of [`", stringify!($module), "`](crate::", stringify!($module), ").")]
                $Family,
            )*
        }

        impl Family {
            /// Every family.
            pub const ALL: &'static [Family] = &[$(Self::$Family,)*];

            /// The family's commands, in the order of Tencent's documentation.
            pub fn commands(self) -> &'static [CallbackCommand] {
                match self {
                    $(Self::$Family => &[$(CallbackCommand::$Variant,)*],)*
                }
            }

            /// The name of the family's module (`c2c`, `official_channel`).
            pub fn module(self) -> &'static str {
                match self {
                    $(Self::$Family => stringify!($module),)*
                }
            }
        }

        $(
            /// Generated from the catalog: see the family's module.
            pub(crate) mod $module {
                use std::fmt;

                use async_trait::async_trait;
                use serde::de::{self, Deserialize, Deserializer};
                use serde::{Serialize, Serializer};

                #[allow(unused_imports)] // a family without before-webhooks
                use crate::answer::{Answer, DefaultReply};
                use crate::request::{CallbackCommand, Delivery, Event, Family};
                // The family's events and replies (its generated items are defined here).
                #[allow(unused_imports)]
                use crate::$module::*;
                // `natural_key` for the events without an inherent one of their own.
                #[allow(unused_imports)]
                use crate::dedupe::NoNaturalKey as _;

                $(
                    impl $Event {
                        /// The command this event is sent with.
                        pub const COMMAND: CallbackCommand = CallbackCommand::$Variant;
                    }

                    impl Event for $Event {
                        fn accepts(command: &CallbackCommand) -> bool {
                            *command == Self::COMMAND
                        }

                        fn decode<'de, D: Deserializer<'de>>(
                            _: &CallbackCommand,
                            deserializer: D,
                        ) -> Result<Self, D::Error> {
                            Self::deserialize(deserializer)
                        }

                        fn delivery_key(&self) -> Option<String> {
                            // The event's inherent `natural_key` where it has one.
                            self.natural_key()
                        }

                        fn default_answer(&self) -> Answer {
                            let _event = self;
                            webhooks!(@default _event $(, $Event, $Reply)?)
                        }
                    }

                    impl From<$Event> for $Enum {
                        fn from(event: $Event) -> Self {
                            Self::$Event(event)
                        }
                    }

                    impl From<$Event> for crate::webhook::WebhookEvent {
                        fn from(event: $Event) -> Self {
                            Self::$Family($Enum::$Event(event))
                        }
                    }
                )*

                $(#[$family_doc])*
                ///
                /// Extract this to receive every event of the family on one route and
                /// `match` on it; its `Display` is one line for an operator's log: the
                /// command and the identifiers to follow.
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum $Enum {
                    $(
                        #[doc = concat!("`", $wire, "`: see [`", stringify!($Event), "`].")]
                        $Event($Event),
                    )*
                }

                impl $Enum {
                    /// The command of this event.
                    pub fn command(&self) -> CallbackCommand {
                        match self {
                            $(Self::$Event(_) => CallbackCommand::$Variant,)*
                        }
                    }

                    /// What Tencent itself does when the webhook is not answered in time:
                    /// OK for an after-webhook, allow for a before-webhook (the handler
                    /// trait's default).
                    pub fn default_answer(&self) -> Answer {
                        match self {
                            $(Self::$Event(_event) => webhooks!(@default _event $(, $Event, $Reply)?),)*
                        }
                    }
                }

                impl fmt::Display for $Enum {
                    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        match self {
                            $(Self::$Event(event) => crate::webhook::log_line(f, $wire, event),)*
                        }
                    }
                }

                /// The event's own wire JSON, as its type writes it.
                impl Serialize for $Enum {
                    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            $(Self::$Event(event) => event.serialize(serializer),)*
                        }
                    }
                }

                impl Event for $Enum {
                    fn accepts(command: &CallbackCommand) -> bool {
                        command.family() == Some(Family::$Family)
                    }

                    fn decode<'de, D: Deserializer<'de>>(
                        command: &CallbackCommand,
                        deserializer: D,
                    ) -> Result<Self, D::Error> {
                        match command {
                            $(CallbackCommand::$Variant => $Event::deserialize(deserializer).map(Self::$Event),)*
                            other => Err(de::Error::custom(format_args!(
                                "{other} is not a command of this family"
                            ))),
                        }
                    }

                    fn default_answer(&self) -> Answer {
                        Self::default_answer(self)
                    }

                    fn delivery_key(&self) -> Option<String> {
                        match self {
                            $(Self::$Event(event) => event.delivery_key(),)*
                        }
                    }
                }

                #[doc = concat!("One async method per event of [`", stringify!($Enum), "`]; implement the ones you need.")]
                ///
                /// Every method has a default: after-webhooks do nothing, before-webhooks
                /// answer what Tencent itself does when a webhook times out (allow). Mount
                /// an implementation with [`Handlers`](crate::webhook::Handlers); Tencent
                /// waits at most 2 s for the answer, so long work belongs in a spawned task.
                #[async_trait]
                pub trait $Handler: Send + Sync + 'static {
                    // Written out here rather than by a helper rule: `async_trait` reads
                    // the methods before any macro inside the trait would expand.
                    $(
                        $(#[$doc])*
                        async fn $method(&self, event: Delivery<$Event>) $(-> $Reply)? {
                            let _ = &event;
                            $(<$Reply as DefaultReply<$Event>>::default_reply(&event.event))?
                        }
                    )*
                }

                #[doc = concat!("Calls the method of a [`", stringify!($Handler), "`] that matches the event and returns its answer.")]
                pub async fn dispatch<H>(handler: &H, delivery: Delivery<$Enum>) -> Answer
                where
                    H: $Handler + ?Sized,
                {
                    let Delivery { event, query, body, stage } = delivery;
                    match event {
                        $($Enum::$Event(event) => webhooks!(
                            @answer handler.$method(Delivery { event, query, body, stage }).await $(, $Reply)?
                        ),)*
                    }
                }

                impl $Handler for crate::webhook::Defaults {}
            }
        )*

        /// Any webhook: an event of one of the families, or a command this version does
        /// not model.
        ///
        /// Extract this to receive every webhook on the one URL and `match` on it, or
        /// mount [`Handlers`](crate::webhook::Handlers). Its `Display` is one line for an
        /// operator's log.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            $(
                #[doc = concat!("An event of [`", stringify!($module), "`](crate::", stringify!($module), ").")]
                $Family(crate::$module::$Enum),
            )*
            /// A command this version does not model, with its body as JSON (the raw
            /// bytes are in the [`Delivery`](crate::Delivery)).
            Other {
                /// The query's command.
                command: CallbackCommand,
                /// The body.
                body: serde_json::Value,
            },
        }

        impl WebhookEvent {
            /// The command of this event.
            pub fn command(&self) -> CallbackCommand {
                match self {
                    $(Self::$Family(event) => event.command(),)*
                    Self::Other { command, .. } => command.clone(),
                }
            }

            /// What Tencent itself does when the webhook is not answered in time: OK for
            /// an after-webhook or a command not modelled, allow for a before-webhook.
            pub fn default_answer(&self) -> Answer {
                match self {
                    $(Self::$Family(event) => event.default_answer(),)*
                    Self::Other { .. } => Answer::ok(),
                }
            }
        }

        impl fmt::Display for WebhookEvent {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Self::$Family(event) => event.fmt(f),)*
                    Self::Other { command, .. } => command.fmt(f),
                }
            }
        }

        /// The event's own wire JSON, as its type writes it.
        impl Serialize for WebhookEvent {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$Family(event) => event.serialize(serializer),)*
                    Self::Other { body, .. } => body.serialize(serializer),
                }
            }
        }

        $(
            impl From<crate::$module::$Enum> for WebhookEvent {
                fn from(event: crate::$module::$Enum) -> Self {
                    Self::$Family(event)
                }
            }
        )*

        impl Event for WebhookEvent {
            fn accepts(_: &CallbackCommand) -> bool {
                true
            }

            fn decode<'de, D: Deserializer<'de>>(
                command: &CallbackCommand,
                deserializer: D,
            ) -> Result<Self, D::Error> {
                match command.family() {
                    $(Some(Family::$Family) => crate::$module::$Enum::decode(command, deserializer).map(Self::$Family),)*
                    None => serde_json::Value::deserialize(deserializer).map(|body| Self::Other {
                        command: command.clone(),
                        body,
                    }),
                }
            }

            fn delivery_key(&self) -> Option<String> {
                match self {
                    $(Self::$Family(event) => event.delivery_key(),)*
                    Self::Other { .. } => None,
                }
            }

            fn default_answer(&self) -> Answer {
                Self::default_answer(self)
            }
        }

        /// One handler per family, for the one URL that receives every webhook.
        ///
        /// Give it a handler for each family you serve; every other family gets the
        /// handler traits' defaults (after-webhooks acknowledged, before-webhooks
        /// allowed), and a command this version does not model is acknowledged.
        #[derive(Clone)]
        pub struct Handlers {
            $($module: Arc<dyn crate::$module::$Handler>,)*
        }

        impl Handlers {
            /// Handlers that answer every webhook with the defaults.
            pub fn new() -> Self {
                Self {
                    $($module: Arc::new(Defaults),)*
                }
            }

            $(
                #[doc = concat!("Handles the events of [`", stringify!($module), "`](crate::", stringify!($module), ") with `handler`.")]
                #[must_use]
                pub fn $module(mut self, handler: impl crate::$module::$Handler) -> Self {
                    self.$module = Arc::new(handler);
                    self
                }
            )*

            /// Calls the method of the family's handler that matches the event, and
            /// returns its answer.
            pub async fn dispatch(&self, delivery: Delivery<WebhookEvent>) -> Answer {
                let Delivery { event, query, body, stage } = delivery;
                match event {
                    $(WebhookEvent::$Family(event) => {
                        crate::$module::dispatch(&*self.$module, Delivery { event, query, body, stage }).await
                    })*
                    WebhookEvent::Other { .. } => Answer::ok(),
                }
            }
        }

        /// The documented sample of every command, family by family.
        #[cfg(feature = "test-util")]
        pub(crate) const SAMPLES: &[crate::test_util::Sample] = &[$($(
            crate::test_util::Sample {
                name: concat!(stringify!($module), "/", stringify!($method)),
                command: $wire,
                body: include_str!(concat!(
                    "../../tests/fixtures/", stringify!($module), "/", stringify!($method), ".json"
                )),
            },
        )*)*];
    };

    (@is_before) => { false };
    (@is_before $Reply:ident) => { true };

    (@named_in_body) => { true };
    (@named_in_body not_named_in_body) => { false };

    (@default $event:ident) => {
        Answer::ok()
    };
    (@default $event:ident, $Event:ident, $Reply:ident) => {
        Answer::from(<$Reply as DefaultReply<$Event>>::default_reply($event))
    };

    (@answer $call:expr) => {{
        $call;
        Answer::ok()
    }};
    (@answer $call:expr, $Reply:ident) => {
        Answer::from($call)
    };
}
