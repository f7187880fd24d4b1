//! The Sns family (the relationship chain: friends and blocklists): two before-webhooks,
//! sent before a friend request ([`PrevFriendAdd`]) or a response to one
//! ([`PrevFriendResponse`]) goes ahead, and four after-webhooks, sent once friends were
//! added ([`FriendAdd`]) or deleted ([`FriendDelete`]) and users were blocked
//! ([`BlackListAdd`]) or unblocked ([`BlackListDelete`]).
//!
//! Both before-webhooks take the same answer, [`PrevFriendReply`]: a verdict per target
//! user, each allowed or refused with a code from
//! [`PrevFriendReply::REFUSAL_CODES`]. Tencent allows every target when it gets no
//! answer in time, and so does the handler trait's default.

mod events;
mod replies;

pub use self::events::{
    AddType, AddedPair, BlackListAdd, BlackListDelete, ClientCmd, FriendAdd, FriendDelete,
    FriendItem, Pair, PrevFriendAdd, PrevFriendResponse, ResponseAction, ResponseFriendItem,
};
pub use self::replies::{PrevFriendReply, ResultItem};
pub use crate::catalog::sns::{SnsEvent, SnsHandler, dispatch};
