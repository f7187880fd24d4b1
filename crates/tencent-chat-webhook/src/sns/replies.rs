//! The one reply of both before-webhooks: a verdict per target user.

use std::ops::RangeInclusive;

use serde::Serialize;

use super::{PrevFriendAdd, PrevFriendResponse};
use crate::answer::{Answer, DefaultReply, InvalidRefusalCode};

/// The answer to a [`PrevFriendAdd`](super::PrevFriendAdd) and to a
/// [`PrevFriendResponse`](super::PrevFriendResponse): both commands take this same reply,
/// a `ResultItem` per target user, each allowed (`ResultCode` 0) or refused with a code
/// from [`REFUSAL_CODES`](Self::REFUSAL_CODES). A code outside that range cannot be built.
///
/// The handler trait's default allows every target of the event, as Tencent does when it
/// gets no answer in time, listing each with `ResultCode` 0 like the documented sample
/// ([`allowing`](Self::allowing)). (UNVERIFIED: the docs do not say how a target missing
/// from `ResultItem` is treated; list every target to be explicit.)
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::sns::PrevFriendReply;
///
/// let reply = PrevFriendReply::allowing(["id1", "id2"])
///     .refuse_with("id2", 38001, "id2 accepts no requests")?;
/// assert_eq!(
///     Answer::from(reply).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"id2","ResultCode":38001,"ResultInfo":"id2 accepts no requests"}]}"#,
/// );
/// assert!(PrevFriendReply::allowing(["id1"]).refuse_with("id1", 1, "not a refusal code").is_err());
/// # Ok::<(), tencent_chat_webhook::answer::InvalidRefusalCode>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrevFriendReply {
    result_item: Vec<ResultItem>,
}

/// One target's verdict in a [`PrevFriendReply`] (`ResultItem[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultItem {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "ResultCode")]
    result_code: u32,
    #[serde(rename = "ResultInfo")]
    result_info: String,
}

impl ResultItem {
    /// The target user (`To_Account`).
    pub fn to_account(&self) -> &str {
        &self.to_account
    }

    /// `ResultCode`: 0 allows, a code from [`PrevFriendReply::REFUSAL_CODES`] refuses.
    pub fn result_code(&self) -> u32 {
        self.result_code
    }

    /// `ResultInfo`: the reason given with a refusal, empty for an allow.
    pub fn result_info(&self) -> &str {
        &self.result_info
    }

    /// Whether this target is refused.
    pub fn is_refused(&self) -> bool {
        self.result_code != 0
    }
}

impl PrevFriendReply {
    /// The codes that refuse a target (`ResultCode`), as the commands document them.
    pub const REFUSAL_CODES: RangeInclusive<u32> = 38_000..=39_000;

    /// Allow each of `targets`, listing every one with `ResultCode` 0, the shape of the
    /// documented sample. Pass the event's `targets()`.
    pub fn allowing<I>(targets: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        targets.into_iter().fold(
            Self {
                result_item: Vec::new(),
            },
            |reply, target| reply.allow(target),
        )
    }

    /// Allow `to_account` (`ResultCode` 0), replacing any verdict given for it before.
    #[must_use]
    pub fn allow(self, to_account: impl Into<String>) -> Self {
        self.with(ResultItem {
            to_account: to_account.into(),
            result_code: 0,
            result_info: String::new(),
        })
    }

    /// Refuse `to_account` with `code` (38000–39000) and `info`, replacing any verdict
    /// given for it before.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside [`REFUSAL_CODES`](Self::REFUSAL_CODES).
    pub fn refuse_with(
        self,
        to_account: impl Into<String>,
        code: u32,
        info: impl Into<String>,
    ) -> Result<Self, InvalidRefusalCode> {
        let result_code = InvalidRefusalCode::check(Self::REFUSAL_CODES, code)?;
        Ok(self.with(ResultItem {
            to_account: to_account.into(),
            result_code,
            result_info: info.into(),
        }))
    }

    /// The verdicts (`ResultItem`), one per target, in the order first given.
    pub fn result_item(&self) -> &[ResultItem] {
        &self.result_item
    }

    fn with(mut self, item: ResultItem) -> Self {
        match self
            .result_item
            .iter_mut()
            .find(|given| given.to_account == item.to_account)
        {
            Some(given) => *given = item,
            None => self.result_item.push(item),
        }
        self
    }
}

impl DefaultReply<PrevFriendAdd> for PrevFriendReply {
    fn default_reply(event: &PrevFriendAdd) -> Self {
        Self::allowing(event.targets())
    }
}

impl DefaultReply<PrevFriendResponse> for PrevFriendReply {
    fn default_reply(event: &PrevFriendResponse) -> Self {
        Self::allowing(event.targets())
    }
}

impl From<PrevFriendReply> for Answer {
    fn from(reply: PrevFriendReply) -> Self {
        #[derive(Serialize)]
        struct Verdicts {
            #[serde(rename = "ResultItem")]
            result_item: Vec<ResultItem>,
        }
        Answer::verdict(
            0,
            "",
            Verdicts {
                result_item: reply.result_item,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sns::{PrevFriendAdd, PrevFriendResponse};
    use crate::test_support::{body, canonical, decode, fixture};

    const SAMPLE: &str = fixture!("sns", "prev_friend_reply");

    #[test]
    fn allowing_every_target_of_either_event_is_the_documented_sample() {
        let add: PrevFriendAdd = decode(fixture!("sns", "prev_friend_add"));
        let reply = PrevFriendReply::allowing(add.targets());
        assert_eq!(canonical(&body(reply)), canonical(SAMPLE));
        let response: PrevFriendResponse = decode(fixture!("sns", "prev_friend_response"));
        let reply = PrevFriendReply::allowing(response.targets());
        assert_eq!(canonical(&body(reply)), canonical(SAMPLE));
    }

    #[test]
    fn the_default_allows_every_target_of_the_event() {
        use crate::answer::DefaultReply;

        let add: PrevFriendAdd = decode(fixture!("sns", "prev_friend_add"));
        let reply = PrevFriendReply::default_reply(&add);
        assert_eq!(reply, PrevFriendReply::allowing(add.targets()));
        assert!(reply.result_item().iter().all(|item| !item.is_refused()));
        let response: PrevFriendResponse = decode(fixture!("sns", "prev_friend_response"));
        let reply = PrevFriendReply::default_reply(&response);
        assert_eq!(reply, PrevFriendReply::allowing(response.targets()));
    }

    #[test]
    fn refusals_replace_a_target_verdict_in_place() {
        let reply = PrevFriendReply::allowing(["id1", "id2", "id3"])
            .refuse_with("id2", 38_000, "blocked")
            .unwrap()
            .refuse_with("id4", 39_000, "unknown user")
            .unwrap()
            .allow("id1");
        let verdicts: Vec<_> = reply
            .result_item()
            .iter()
            .map(|item| (item.to_account(), item.result_code(), item.result_info()))
            .collect();
        assert_eq!(
            verdicts,
            [
                ("id1", 0, ""),
                ("id2", 38_000, "blocked"),
                ("id3", 0, ""),
                ("id4", 39_000, "unknown user"),
            ]
        );
        assert!(reply.result_item()[1].is_refused());
        assert!(!reply.result_item()[0].is_refused());
        assert_eq!(
            body(reply.allow("id2")),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"id2","ResultCode":0,"ResultInfo":""},{"To_Account":"id3","ResultCode":0,"ResultInfo":""},{"To_Account":"id4","ResultCode":39000,"ResultInfo":"unknown user"}]}"#
        );
    }

    #[test]
    fn out_of_range_codes_fail_to_build() {
        for code in [0, 1, 37_999, 39_001, 120_001, u32::MAX] {
            assert_eq!(
                PrevFriendReply::allowing(["id1"]).refuse_with("id1", code, "no"),
                Err(InvalidRefusalCode {
                    code,
                    range: PrevFriendReply::REFUSAL_CODES
                }),
                "{code}"
            );
        }
        assert_eq!(
            PrevFriendReply::REFUSAL_CODES,
            38_000..=39_000,
            "the documented range"
        );
    }
}
