//! Loading and sending without Leptos's `LocalResource` and `Action`: the reporter's pages need
//! only "load this, show it, load again on request" and "send this, say while it is on its way".
//! Leptos's versions bring its whole async-derived machinery (suspense, transitions) into the
//! wasm, about 9 KB brotli of the reporter's first load for the three loads alone.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// A value loaded in the background: `None` until the first answer; a reload keeps showing the
/// last answer until the new one arrives (as `LocalResource` does).
pub struct Load<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    fetch: StoredValue<Rc<dyn Fn()>, LocalStorage>,
}

impl<T: Send + Sync + 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Load<T> {}

impl<T: Clone + Send + Sync + 'static> Load<T> {
    /// Starts loading at once. `fetch` runs untracked: it is called again only by [`Load::refetch`].
    pub fn new<F: Future<Output = T> + 'static>(fetch: impl Fn() -> F + 'static) -> Self {
        let value = RwSignal::new(None);
        let start: Rc<dyn Fn()> = Rc::new(move || {
            let answer = untrack(&fetch);
            spawn_local(async move { value.set(Some(answer.await)) });
        });
        start();
        Load { value, fetch: StoredValue::new_local(start) }
    }

    pub fn refetch(self) {
        if let Some(start) = self.fetch.try_get_value() {
            start();
        }
    }

    /// The last answer (tracked).
    pub fn get(self) -> Option<T> {
        self.value.get()
    }
}

/// Starts one send of a [`Task`].
type Run<I> = Rc<dyn Fn(&I)>;

/// Something sent in the background, any number of times; `pending` while one is on its way.
pub struct Task<I: 'static> {
    run: StoredValue<Run<I>, LocalStorage>,
    running: RwSignal<u32>,
}

impl<I: 'static> Clone for Task<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static> Copy for Task<I> {}

impl<I: 'static> Task<I> {
    pub fn new<F: Future<Output = ()> + 'static>(send: impl Fn(&I) -> F + 'static) -> Self {
        let running = RwSignal::new(0u32);
        let run: Run<I> = Rc::new(move |input: &I| {
            let sending = untrack(|| send(input));
            running.update(|n| *n += 1);
            spawn_local(async move {
                sending.await;
                running.try_update(|n| *n = n.saturating_sub(1));
            });
        });
        Task { run: StoredValue::new_local(run), running }
    }

    pub fn dispatch(self, input: I) {
        if let Some(run) = self.run.try_get_value() {
            run(&input);
        }
    }

    /// True while a dispatch has not finished.
    pub fn pending(self) -> Signal<bool> {
        let running = self.running;
        Signal::derive(move || running.get() > 0)
    }
}
