//! Every webhook the library types, one declaration each.
//!
//! A line names a command's enum variant and wire name, its event type and handler
//! method (also the name of its fixture, `tests/fixtures/<family>/<method>.json`), and
//! for a before-webhook the type of its reply. A family block names its module, its
//! [`Family`] variant, its event enum and its handler trait. From this table follow
//! [`CallbackCommand`], [`Family`], each family's event enum, handler trait and
//! `dispatch`, [`WebhookEvent`], [`Handlers`] and the test kit's samples.
//!
//! Adding a command: write its struct (with `Display` for the log line) in its family's
//! module, add its line here and its documented sample as its fixture. An event with a
//! natural key (a `MsgKey`, …) also gets an inherent `pub fn natural_key(&self) ->
//! Option<String>`: it becomes its [`Event::delivery_key`], and the others have none
//! (see [the table of identities](crate::dedupe#identities), where it is documented).
//!
//! `[not_named_in_body]` marks a command whose body has no `CallbackCommand`.

use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer};
use serde::{Serialize, Serializer};

use crate::answer::Answer;
use crate::request::{Delivery, Event};
use crate::webhook::Defaults;

#[macro_use]
mod expand;

webhooks! {
    /// Any one of the eleven Official Channel events.
    official_channel OfficialChannel: OfficialChannelEvent, OfficialChannelHandler {
        /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: a channel is about to be created.
        OfficialAccountBeforeCreate = "OfficialAccount.CallbackBeforeCreateOfficialAccount"
            => BeforeCreateOfficialAccount, before_create_official_account -> BeforeCreateReply;
        /// `OfficialAccount.CallbackAfterCreateOfficialAccount`: a channel was created.
        OfficialAccountAfterCreate = "OfficialAccount.CallbackAfterCreateOfficialAccount"
            => AfterCreateOfficialAccount, after_create_official_account;
        /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: a channel's profile changed.
        OfficialAccountAfterInfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged"
            => AfterOfficialAccountInfoChanged, after_official_account_info_changed;
        /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: a channel was destroyed.
        OfficialAccountAfterDestroyed = "OfficialAccount.CallbackAfterOfficialAccountDestroyed"
            => AfterOfficialAccountDestroyed, after_official_account_destroyed;
        /// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe.
        OfficialAccountBeforeAddSubscriber = "OfficialAccount.CallbackBeforeAddSubscriber"
            => BeforeAddSubscriber, before_add_subscriber -> BeforeAddSubscriberReply;
        /// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed.
        OfficialAccountAfterAddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber"
            => AfterAddSubscriber, after_add_subscriber;
        /// `OfficialAccount.CallbackAfterOfficialAccountFull`: a channel reached its subscriber limit.
        OfficialAccountAfterFull = "OfficialAccount.CallbackAfterOfficialAccountFull"
            => AfterOfficialAccountFull, after_official_account_full;
        /// `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed or were removed.
        OfficialAccountAfterDeleteSubscriber = "OfficialAccount.CallbackAfterDeleteSubscriber"
            => AfterDeleteSubscriber, after_delete_subscriber;
        /// `OfficialAccount.CallbackBeforeSendMsg`: a channel message is about to be delivered.
        OfficialAccountBeforeSendMsg = "OfficialAccount.CallbackBeforeSendMsg"
            => BeforeSendMsg, before_send_msg -> BeforeSendMsgReply;
        /// `OfficialAccount.CallbackAfterSendMsg`: a channel message was delivered.
        OfficialAccountAfterSendMsg = "OfficialAccount.CallbackAfterSendMsg"
            => AfterSendMsg, after_send_msg;
        /// `OfficialAccount.CallbackAfterMsgWithDraw`: channel messages were recalled.
        OfficialAccountAfterMsgWithDraw = "OfficialAccount.CallbackAfterMsgWithDraw"
            => AfterMsgWithDraw, after_msg_with_draw;
    }

    /// Any one of the State events (one, today).
    state State: StateEvent, StateHandler {
        /// `State.StateChange`: a user logged in, logged out, was disconnected or set a custom status.
        StateChange = "State.StateChange" => StateChange, state_change;
    }

    /// Any one of the Profile events (one, today).
    profile Profile: ProfileEvent, ProfileHandler {
        /// `Profile.CallbackPortraitSet`: a user's profile was updated.
        ProfilePortraitSet = "Profile.CallbackPortraitSet" => PortraitSet, portrait_set;
    }

    /// Any one of the six Sns (friends and blocklists) events.
    sns Sns: SnsEvent, SnsHandler {
        /// `Sns.CallbackPrevFriendAdd`: a user is about to add friends.
        SnsPrevFriendAdd = "Sns.CallbackPrevFriendAdd"
            => PrevFriendAdd, prev_friend_add -> PrevFriendReply;
        /// `Sns.CallbackPrevFriendResponse`: a user is about to answer friend requests.
        SnsPrevFriendResponse = "Sns.CallbackPrevFriendResponse"
            => PrevFriendResponse, prev_friend_response -> PrevFriendReply;
        /// `Sns.CallbackFriendAdd`: friends were added.
        SnsFriendAdd = "Sns.CallbackFriendAdd" => FriendAdd, friend_add;
        /// `Sns.CallbackFriendDelete`: friends were deleted.
        SnsFriendDelete = "Sns.CallbackFriendDelete" => FriendDelete, friend_delete;
        /// `Sns.CallbackBlackListAdd`: users were blocked.
        SnsBlackListAdd = "Sns.CallbackBlackListAdd" => BlackListAdd, black_list_add;
        /// `Sns.CallbackBlackListDelete`: users were unblocked.
        SnsBlackListDelete = "Sns.CallbackBlackListDelete" => BlackListDelete, black_list_delete;
    }

    /// Any one of the two Follow events.
    follow Follow: FollowEvent, FollowHandler {
        /// `Follow.CallbackAfterFollowAdd`: a user followed other users.
        FollowAfterFollowAdd = "Follow.CallbackAfterFollowAdd" => AfterFollowAdd, after_follow_add;
        /// `Follow.CallbackAfterFollowDelete`: a user unfollowed other users.
        FollowAfterFollowDelete = "Follow.CallbackAfterFollowDelete"
            => AfterFollowDelete, after_follow_delete;
    }

    /// Any one of the six C2C (one-to-one message) events.
    c2c C2c: C2cEvent, C2cHandler {
        /// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered.
        C2cBeforeSendMsg = "C2C.CallbackBeforeSendMsg"
            => BeforeSendMsg, before_send_msg -> BeforeSendMsgReply;
        /// `C2C.CallbackAfterSendMsg`: a one-to-one message was sent.
        C2cAfterSendMsg = "C2C.CallbackAfterSendMsg" => AfterSendMsg, after_send_msg;
        /// `C2C.CallbackAfterMsgReport`: a user reported one-to-one messages as read.
        C2cAfterMsgReport = "C2C.CallbackAfterMsgReport" => AfterMsgReport, after_msg_report;
        /// `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled.
        C2cAfterMsgWithDraw = "C2C.CallbackAfterMsgWithDraw"
            => AfterMsgWithDraw, after_msg_with_draw;
        /// `C2C.CallbackAfterModifyMsg`: a one-to-one message was edited.
        C2cAfterModifyMsg = "C2C.CallbackAfterModifyMsg" => AfterModifyMsg, after_modify_msg;
        /// `C2C.CallbackAfterC2CMsgExtension`: a one-to-one message's extensions changed.
        C2cAfterMsgExtension = "C2C.CallbackAfterC2CMsgExtension"
            => AfterC2cMsgExtension, after_c2c_msg_extension;
    }

    /// Any one of the 24 Group events: groups, members, messages and community topics.
    group Group: GroupEvent, GroupHandler {
        /// `Group.CallbackBeforeCreateGroup`: a group is about to be created.
        GroupBeforeCreateGroup = "Group.CallbackBeforeCreateGroup"
            => BeforeCreateGroup, before_create_group -> BeforeCreateGroupReply;
        /// `Group.CallbackAfterCreateGroup`: a group was created.
        GroupAfterCreateGroup = "Group.CallbackAfterCreateGroup" => AfterCreateGroup, after_create_group;
        /// `Group.CallbackBeforeApplyJoinGroup`: a user asks to join a group.
        GroupBeforeApplyJoinGroup = "Group.CallbackBeforeApplyJoinGroup"
            => BeforeApplyJoinGroup, before_apply_join_group -> BeforeApplyJoinGroupReply;
        /// `Group.CallbackBeforeInviteJoinGroup`: users are about to be invited into a group.
        GroupBeforeInviteJoinGroup = "Group.CallbackBeforeInviteJoinGroup"
            => BeforeInviteJoinGroup, before_invite_join_group -> BeforeInviteJoinGroupReply;
        /// `Group.CallbackAfterNewMemberJoin`: users joined a group.
        GroupAfterNewMemberJoin = "Group.CallbackAfterNewMemberJoin"
            => AfterNewMemberJoin, after_new_member_join;
        /// `Group.CallbackAfterMemberExit`: users left a group or were removed.
        GroupAfterMemberExit = "Group.CallbackAfterMemberExit" => AfterMemberExit, after_member_exit;
        /// `Group.CallbackBeforeSendMsg`: a group message is about to be delivered.
        GroupBeforeSendMsg = "Group.CallbackBeforeSendMsg"
            => BeforeSendMsg, before_send_msg -> BeforeSendMsgReply;
        /// `Group.CallbackAfterSendMsg`: a group message was delivered.
        GroupAfterSendMsg = "Group.CallbackAfterSendMsg" => AfterSendMsg, after_send_msg;
        /// `Group.CallbackAfterGroupFull`: a group reached its member limit.
        GroupAfterGroupFull = "Group.CallbackAfterGroupFull" => AfterGroupFull, after_group_full;
        /// `Group.CallbackAfterGroupDestroyed`: a group was dismissed.
        GroupAfterGroupDestroyed = "Group.CallbackAfterGroupDestroyed"
            => AfterGroupDestroyed, after_group_destroyed;
        /// `Group.CallbackAfterGroupInfoChanged`: a group's profile changed.
        GroupAfterGroupInfoChanged = "Group.CallbackAfterGroupInfoChanged"
            => AfterGroupInfoChanged, after_group_info_changed;
        /// `Group.CallbackOnMemberStateChange`: group members went online or offline.
        GroupOnMemberStateChange = "Group.CallbackOnMemberStateChange"
            => OnMemberStateChange, on_member_state_change;
        /// `Group.CallbackSendMsgException`: a group message failed to be sent.
        GroupSendMsgException = "Group.CallbackSendMsgException"
            => SendMsgException, send_msg_exception;
        /// `Group.CallbackAfterRecallMsg`: group messages were recalled.
        GroupAfterRecallMsg = "Group.CallbackAfterRecallMsg" => AfterRecallMsg, after_recall_msg;
        /// `Group.CallbackBeforeCreateTopic`: a community topic is about to be created.
        GroupBeforeCreateTopic = "Group.CallbackBeforeCreateTopic"
            => BeforeCreateTopic, before_create_topic -> BeforeCreateTopicReply;
        /// `Group.CallbackAfterCreateTopic`: a community topic was created.
        GroupAfterCreateTopic = "Group.CallbackAfterCreateTopic" => AfterCreateTopic, after_create_topic;
        /// `Group.CallbackAfterTopicDestroyed`: community topics were deleted.
        GroupAfterTopicDestroyed = "Group.CallbackAfterTopicDestroyed"
            => AfterTopicDestroyed, after_topic_destroyed;
        /// `Group.CallbackAfterTopicInfoChanged`: a community topic's profile changed.
        GroupAfterTopicInfoChanged = "Group.CallbackAfterTopicInfoChanged"
            => AfterTopicInfoChanged, after_topic_info_changed;
        /// `Group.CallbackAfterMemberFieldChanged`: a member's role or name card changed.
        GroupAfterMemberFieldChanged = "Group.CallbackAfterMemberFieldChanged"
            => AfterMemberFieldChanged, after_member_field_changed;
        /// `Group.CallbackAfterGroupAttrChanged`: a group's custom attributes changed.
        GroupAfterGroupAttrChanged = "Group.CallbackAfterGroupAttrChanged"
            => AfterGroupAttrChanged, after_group_attr_changed;
        /// `Group.CallbackAfterReadReceipt`: members read group messages (read receipts).
        GroupAfterReadReceipt = "Group.CallbackAfterReadReceipt" => AfterReadReceipt, after_read_receipt;
        /// `Group.CallbackAfterChangeGroupOwner`: a group's owner changed.
        GroupAfterChangeGroupOwner = "Group.CallbackAfterChangeGroupOwner"
            => AfterChangeGroupOwner, after_change_group_owner;
        /// `Group.CallbackOnDailyGroupQuotaAlarm`: the app nears its daily group-creation quota.
        GroupOnDailyGroupQuotaAlarm = "Group.CallbackOnDailyGroupQuotaAlarm"
            => OnDailyGroupQuotaAlarm, on_daily_group_quota_alarm;
        /// `Group.CallbackAfterGroupMsgExtension`: a group message's extensions changed.
        GroupAfterGroupMsgExtension = "Group.CallbackAfterGroupMsgExtension"
            => AfterGroupMsgExtension, after_group_msg_extension;
    }

    /// Any one of the two Bot events.
    bot Bot: BotEvent, BotHandler {
        /// `Bot.OnC2CMessage`: a user sent a one-to-one message to a chatbot.
        BotOnC2cMessage = "Bot.OnC2CMessage" => OnC2cMessage, on_c2c_message;
        /// `Bot.OnGroupMessage`: a group message @-mentioned one or more chatbots.
        BotOnGroupMessage = "Bot.OnGroupMessage" => OnGroupMessage, on_group_message;
    }

    /// Any one of the Chatbot events (one, today; UNVERIFIED).
    chatbot Chatbot: ChatbotEvent, ChatbotHandler {
        /// `Chatbot.OnC2CSignalMessage`: a user sent a one-to-one signal message to a chatbot.
        ChatbotOnC2cSignalMessage = "Chatbot.OnC2CSignalMessage"
            => OnC2cSignalMessage, on_c2c_signal_message;
    }

    /// Any one of the two Push (push report) events: batches of reports.
    push Push: PushEvent, PushHandler {
        /// `Push.OfflinePush`: a batch of reports on offline pushes.
        PushOfflinePush = "Push.OfflinePush" => OfflinePush, offline_push [not_named_in_body];
        /// `Push.AllMemberPush`: a batch of reports on all-user, tag and single-user pushes.
        PushAllMemberPush = "Push.AllMemberPush"
            => AllMemberPush, all_member_push [not_named_in_body];
    }

    /// Any one of the Alert events (one, today).
    alert Alert: AlertEvent, AlertHandler {
        /// `Alert.RequestOverLimit`: a REST API's calls per second passed 80 % of its limit.
        AlertRequestOverLimit = "Alert.RequestOverLimit" => RequestOverLimit, request_over_limit;
    }

    /// Any one of the ContentCallback (cloud moderation result) events (one, today).
    content_callback ContentCallback: ContentCallbackEvent, ContentCallbackHandler {
        /// `ContentCallback.ResultNotify`: Tencent's cloud moderation judged a piece of content.
        ContentCallbackResultNotify = "ContentCallback.ResultNotify"
            => ResultNotify, result_notify [not_named_in_body];
    }
}

#[cfg(test)]
mod tests;
