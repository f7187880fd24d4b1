//! What the tests of this crate share: the log of what they did.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::sync::Once;

/// The one subscriber of a test binary: it writes every event's level and fields into
/// the log of the thread that logged it, so that tests running side by side each read
/// only their own. (A subscriber per test, through `with_default`, races with the other
/// tests' threads over which callsites are enabled.)
struct Capture;

thread_local! {
    static LOG: RefCell<String> = const { RefCell::new(String::new()) };
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        write!(self.0, " {}={value:?}", field.name()).unwrap();
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        LOG.with_borrow_mut(|log| {
            log.push_str(event.metadata().level().as_str());
            event.record(&mut Fields(log));
            log.push('\n');
        });
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Runs `f` and returns what it logged on this thread. Every test of a binary that reads
/// logs calls it, so the subscriber is in place before anything logs.
pub(crate) fn logged(f: impl FnOnce()) -> String {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| tracing::subscriber::set_global_default(Capture).unwrap());
    LOG.with_borrow_mut(String::clear);
    f();
    LOG.with_borrow_mut(std::mem::take)
}
