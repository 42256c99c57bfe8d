//! How widgets on one page tell each other what changed: a small publish/subscribe list,
//! not the DOM. Supporting an initiative in the list updates the featured card and every
//! other support button of that initiative on the page.
//!
//! Plain Rust without the browser, so the rules are tested natively; the widgets subscribe
//! with [`subscribe`] and keep the returned [`Subscription`] as long as they live (a hook
//! in `support.rs`).

use mekaar_api::SupportState;
use std::cell::RefCell;
use std::rc::Rc;

/// Something one widget changed that others on the page may show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The server's new support state of one initiative, after a toggle.
    Support {
        community: Rc<str>,
        initiative: Rc<str>,
        state: SupportState,
    },
}

type Listener = Rc<dyn Fn(&Change)>;

thread_local! {
    static LISTENERS: RefCell<Vec<(u64, Listener)>> = const { RefCell::new(Vec::new()) };
    static NEXT: RefCell<u64> = const { RefCell::new(1) };
}

/// While kept, its listener hears every change published by others; dropping it ends that.
pub struct Subscription(u64);

impl Subscription {
    /// Whom a publisher names as the sender, so it does not hear its own change.
    pub fn id(&self) -> u64 {
        self.0
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let id = self.0;
        LISTENERS.with(|l| l.borrow_mut().retain(|(n, _)| *n != id));
    }
}

/// Adds `listener`; it hears changes until the subscription is dropped.
pub fn subscribe(listener: impl Fn(&Change) + 'static) -> Subscription {
    let id = NEXT.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n - 1
    });
    LISTENERS.with(|l| l.borrow_mut().push((id, Rc::new(listener))));
    Subscription(id)
}

/// Tells every listener but `from`'s about `change`.
pub fn publish(from: u64, change: &Change) {
    // Listeners are called on a copy of the list: one may subscribe or unsubscribe.
    let listeners: Vec<Listener> = LISTENERS.with(|l| {
        l.borrow()
            .iter()
            .filter(|(n, _)| *n != from)
            .map(|(_, f)| f.clone())
            .collect()
    });
    for listener in listeners {
        listener(change);
    }
}

/// How many listeners there are (for tests: an unmounted widget leaves none behind).
#[cfg(test)]
pub fn listeners() -> usize {
    LISTENERS.with(|l| l.borrow().len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn change(n: u64) -> Change {
        Change::Support {
            community: "c".into(),
            initiative: "i".into(),
            state: SupportState {
                supported: true,
                support_count: n,
            },
        }
    }

    #[test]
    fn others_hear_a_change_the_sender_does_not_and_dropping_ends_it() {
        let heard_a = Rc::new(Cell::new(0));
        let heard_b = Rc::new(Cell::new(0));
        let a = {
            let heard = heard_a.clone();
            subscribe(move |_| heard.set(heard.get() + 1))
        };
        let b = {
            let heard = heard_b.clone();
            subscribe(move |c| {
                let Change::Support { state, .. } = c;
                heard.set(state.support_count)
            })
        };
        assert_eq!(listeners(), 2);
        publish(a.id(), &change(7));
        assert_eq!((heard_a.get(), heard_b.get()), (0, 7));
        drop(b);
        assert_eq!(listeners(), 1);
        publish(0, &change(8));
        assert_eq!((heard_a.get(), heard_b.get()), (1, 7));
        drop(a);
        assert_eq!(listeners(), 0);
    }
}
