//! The State family's one event.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::Word;
use crate::request::OptPlatform;
use crate::time::UnixMillis;

crate::de::wire_enum! {
    /// What happened to the user's connection or status (`Info.Action`).
    pub enum StateAction {
        /// `Login`: the user logged in (a TCP connection was established).
        Login = "Login",
        /// `Logout`: the user logged out (the TCP connection was closed).
        Logout = "Logout",
        /// `Disconnect`: the connection was lost.
        Disconnect = "Disconnect",
        /// `CustomStatusChange`: the user set a custom status (added in 2025).
        CustomStatusChange = "CustomStatusChange",
    }
}

crate::de::wire_enum! {
    /// Why the state changed (`Info.Reason`).
    pub enum StateReason {
        /// `Register`: a login.
        Register = "Register",
        /// `Unregister`: a logout.
        Unregister = "Unregister",
        /// `LinkClose`: a disconnection noticed by the server (the app was killed or
        /// crashed).
        LinkClose = "LinkClose",
        /// `TimeOut`: no heartbeat for 400 seconds.
        TimeOut = "TimeOut",
        /// `SetCustomStatus`: a custom status change.
        SetCustomStatus = "SetCustomStatus",
    }
}

/// `State.StateChange`: a user logged in, logged out, was disconnected or set a custom
/// status.
///
/// `Info.CustomStatus` is documented (2025) without its position; it is read inside
/// `Info`, or at the top level of the body if it arrives there (UNVERIFIED which one
/// Tencent sends), and is written back inside `Info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WireStateChange")]
#[non_exhaustive]
pub struct StateChange {
    /// What happened, to whom and why (`Info`).
    #[serde(rename = "Info")]
    pub info: StateInfo,
    /// The user's other devices that this login forced offline (`KickedDevice`); only
    /// sent for a `Login` (`Register`) that kicked some, so usually empty.
    #[serde(rename = "KickedDevice", skip_serializing_if = "Vec::is_empty")]
    pub kicked_device: Vec<KickedDevice>,
    /// When it happened (`EventTime`), Unix milliseconds.
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// The `Info` object of a [`StateChange`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StateInfo {
    /// What happened (`Action`).
    #[serde(rename = "Action")]
    pub action: StateAction,
    /// The user (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// Why (`Reason`).
    #[serde(rename = "Reason")]
    pub reason: StateReason,
    /// The custom status after the change (`CustomStatus`); only for
    /// [`StateAction::CustomStatusChange`].
    #[serde(
        rename = "CustomStatus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_status: Option<String>,
}

/// One entry of `KickedDevice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KickedDevice {
    /// The device's platform (`Platform`): `iOS` (also sent as `IOS`), `Android`, `Web`,
    /// `Windows`, `iPad`, `Mac` or `Linux`.
    #[serde(rename = "Platform")]
    pub platform: OptPlatform,
}

/// The body as it may arrive: `CustomStatus` inside `Info` or beside it.
#[derive(Deserialize)]
struct WireStateChange {
    #[serde(rename = "Info")]
    info: StateInfo,
    #[serde(rename = "KickedDevice", default)]
    kicked_device: Vec<KickedDevice>,
    #[serde(rename = "EventTime")]
    event_time: UnixMillis,
    #[serde(rename = "CustomStatus", default)]
    custom_status: Option<String>,
}

impl From<WireStateChange> for StateChange {
    fn from(wire: WireStateChange) -> Self {
        let mut info = wire.info;
        if info.custom_status.is_none() {
            info.custom_status = wire.custom_status;
        }
        Self {
            info,
            kicked_device: wire.kicked_device,
            event_time: wire.event_time,
        }
    }
}

impl fmt::Display for StateChange {
    /// `To_Account=… Action=… Reason=…`, then the quoted `CustomStatus` if any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = &self.info;
        write!(
            f,
            "To_Account={} Action={} Reason={}",
            Word(&info.to_account),
            Word(&info.action.to_string()),
            Word(&info.reason.to_string())
        )?;
        if let Some(status) = &info.custom_status {
            write!(f, " CustomStatus={status:?}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{decode, fixture};

    #[test]
    fn the_documented_sample() {
        let event: StateChange = decode(fixture!("state", "state_change"));
        assert_eq!(event.info.action, StateAction::Login);
        assert_eq!(event.info.to_account, "testuser316");
        assert_eq!(event.info.reason, StateReason::Register);
        assert_eq!(event.info.custom_status, None);
        let platforms: Vec<_> = event.kicked_device.iter().map(|d| &d.platform).collect();
        assert_eq!(platforms, [&OptPlatform::Windows, &OptPlatform::Android]);
        assert_eq!(event.event_time, UnixMillis(1_629_883_332_497));
        assert_eq!(
            event.to_string(),
            "To_Account=testuser316 Action=Login Reason=Register"
        );
    }

    #[test]
    fn kicked_devices_accept_either_ios_spelling() {
        let event: StateChange = decode(fixture!("state", "quirk_kicked_device_ios_spellings"));
        let platforms: Vec<_> = event
            .kicked_device
            .into_iter()
            .map(|d| d.platform)
            .collect();
        assert_eq!(
            platforms,
            [
                OptPlatform::Ios,
                OptPlatform::Ios,
                OptPlatform::Linux,
                OptPlatform::Other("HarmonyOS".into())
            ]
        );
    }

    #[test]
    fn custom_status_change_inside_info() {
        let event: StateChange = decode(fixture!("state", "quirk_custom_status_change"));
        assert_eq!(event.info.action, StateAction::CustomStatusChange);
        assert_eq!(event.info.reason, StateReason::SetCustomStatus);
        assert_eq!(event.info.custom_status.as_deref(), Some("in a meeting"));
        assert!(event.kicked_device.is_empty());
        assert_eq!(
            event.to_string(),
            r#"To_Account=testuser316 Action=CustomStatusChange Reason=SetCustomStatus CustomStatus="in a meeting""#
        );
    }

    #[test]
    fn custom_status_beside_info_is_read_into_info() {
        let beside: StateChange = decode(fixture!("state", "quirk_custom_status_top_level"));
        assert_eq!(
            beside,
            decode(fixture!("state", "quirk_custom_status_change"))
        );
        let value = serde_json::to_value(&beside).unwrap();
        assert_eq!(value["Info"]["CustomStatus"], "in a meeting");
        assert!(value.get("CustomStatus").is_none());
    }

    #[test]
    fn event_time_as_a_string_and_unknown_values_are_kept() {
        let event: StateChange = decode(fixture!("state", "quirk_string_event_time"));
        assert_eq!(event.event_time, UnixMillis(1_629_883_332_497));
        assert_eq!(event.info.action, StateAction::Disconnect);
        assert_eq!(event.info.reason, StateReason::TimeOut);
        let event: StateChange = decode(
            r#"{"Info":{"Action":"Hibernate","To_Account":"u","Reason":"Sleep"},"EventTime":1}"#,
        );
        assert_eq!(event.info.action, StateAction::Other("Hibernate".into()));
        assert_eq!(event.info.reason.as_str(), "Sleep");
    }

    #[test]
    fn serializes_back_to_the_same_event() {
        // `decode` checks that what the event writes decodes to the same event.
        for fixture in [
            fixture!("state", "state_change"),
            fixture!("state", "quirk_kicked_device_ios_spellings"),
            fixture!("state", "quirk_custom_status_change"),
            fixture!("state", "quirk_string_event_time"),
        ] {
            decode::<StateChange>(fixture);
        }
        let json =
            serde_json::to_value(decode::<StateChange>(fixture!("state", "state_change"))).unwrap();
        assert_eq!(json["KickedDevice"][1]["Platform"], "Android");
        assert_eq!(json["EventTime"], 1_629_883_332_497_u64);
    }

    #[test]
    fn missing_required_fields_are_errors() {
        for body in [
            r#"{"EventTime":1}"#,
            r#"{"Info":{"Action":"Login","To_Account":"u","Reason":"Register"}}"#,
            r#"{"Info":{"To_Account":"u","Reason":"Register"},"EventTime":1}"#,
            r#"{"Info":{"Action":"Login","Reason":"Register"},"EventTime":1}"#,
            r#"{"Info":{"Action":"Login","To_Account":"u"},"EventTime":1}"#,
            r#"{"Info":{"Action":"Login","To_Account":"u","Reason":"Register"},"EventTime":1,"KickedDevice":[{}]}"#,
            r#"{"Info":{"Action":1,"To_Account":"u","Reason":"Register"},"EventTime":1}"#,
        ] {
            assert!(serde_json::from_str::<StateChange>(body).is_err(), "{body}");
        }
    }
}
