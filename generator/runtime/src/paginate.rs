//! Pagination as streams (`x-pagination` in a spec).
//!
//! A paginated operation's generated methods hand this module one small closure, "fetch the
//! page at this position", which sets the page number, offset or cursor on a copy of the
//! caller's parameters and makes the one-page call. The walk itself lives here, written once:
//!
//! - **lazy**: nothing is sent until the stream is polled, one page at a time;
//! - **stops early**: dropping the stream (or taking fewer items than it has) sends no further
//!   request;
//! - **stops at the end**: after an empty page, at the last page or past the item count the
//!   server reports, when the server gives no next cursor, and after [`MAX_PAGES`] pages;
//! - **stops on the first error**, which it yields; a cursor the server already gave in this
//!   walk is an error too ([`Error::RepeatedCursor`]), and so is a page whose items are the
//!   same as a page already read ([`Error::RepeatedPage`]), so a server that hands out the
//!   same cursor, or ignores the page number or offset, cannot keep the stream going.
//!
//! The streams are ordinary [`Stream`]s of `Result`s, so `TryStreamExt` applies; this module
//! re-exports [`StreamExt`] and [`TryStreamExt`] (from `futures-util`, the traits
//! `futures::StreamExt` and `futures::TryStreamExt` are the same ones) so that no other
//! dependency is needed:
//!
//! ```
//! use api_token_runtime::paginate::{self, Page, TryStreamExt};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // A server with three pages of letters, standing in for a generated one-page call.
//! let fetch = |page: i64| async move {
//!     let letters = ["ab", "cd", "e"];
//!     let items = letters.get(page as usize - 1).map_or("", |s| *s).chars().collect();
//!     Ok::<_, api_token_runtime::Error<()>>(Page::new(items).total(Some(3)))
//! };
//! let pages = paginate::by_page("listLetters", 1_i64, fetch);
//! // Streams are not `Unpin`: pin one to call `try_next` on it.
//! let mut items = std::pin::pin!(paginate::items(pages));
//! assert_eq!(items.try_next().await.unwrap(), Some('a'));
//! // Or collect at most so many items (here, all of them).
//! let all = paginate::collect(paginate::items(paginate::by_page("listLetters", 1_i64, fetch)), 100).await;
//! assert_eq!(all.unwrap(), ['a', 'b', 'c', 'd', 'e']);
//! # }
//! ```

use crate::error::Error;
use futures_util::stream;
use std::collections::HashSet;
use std::future::Future;
use std::hash::{Hash as _, Hasher as _};

pub use futures_core::Stream;
pub use futures_util::{StreamExt, TryStreamExt};

/// The most pages one stream fetches: a safety cap against a server that never reports an
/// end (its pages are never empty and it never stops giving a next page). The stream ends
/// quietly there, as it would at a last page.
pub const MAX_PAGES: usize = 10_000;

/// One page, as a generated method reads it from the payload: its items and what the server
/// says about the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    items: Vec<T>,
    total: Option<i64>,
    next: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items`, with nothing said about the rest.
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            total: None,
            next: None,
        }
    }

    /// The total the server reports: the number of pages for [`by_page`], of items for
    /// [`by_offset`].
    pub fn total(mut self, total: Option<i64>) -> Self {
        self.total = total;
        self
    }

    /// The cursor of the next page, for [`by_cursor`]; `None` (or an empty string) ends the
    /// walk.
    pub fn next_cursor(mut self, next: Option<String>) -> Self {
        self.next = next;
        self
    }

    /// The page's items.
    pub fn items(&self) -> &[T] {
        &self.items
    }
}

/// Where the walk goes after a page.
enum Next<P, E> {
    /// Fetch the page at this position.
    At(P),
    /// The server said this was the last page.
    End,
    /// Going on would be wrong: yield this error (after the page just read) and end.
    Fail(Error<E>),
}

/// The walk shared by every style: fetch at the position, yield the page unless it is empty
/// or repeats one already read, and let `advance` say where the next page is.
fn walk<P, T, E, F, Fut, A>(
    operation: &'static str,
    start: P,
    fetch: F,
    advance: A,
) -> impl Stream<Item = Result<Vec<T>, Error<E>>>
where
    P: Clone,
    T: serde::Serialize,
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
    A: FnMut(&P, &Page<T>) -> Next<P, E>,
{
    let state = (
        Next::At(start),
        fetch,
        advance,
        HashSet::<u64>::new(),
        0_usize,
    );
    stream::try_unfold(
        state,
        move |(next, mut fetch, mut advance, mut seen, fetched)| async move {
            let at = match next {
                Next::At(at) if fetched < MAX_PAGES => at,
                Next::At(_) | Next::End => return Ok(None),
                Next::Fail(error) => return Err(error),
            };
            let page = fetch(at.clone()).await?;
            if page.items.is_empty() {
                return Ok(None);
            }
            // A server that ignores the position answers the same page again: the walk
            // would fetch up to MAX_PAGES copies of it.
            if digest(&page.items).is_some_and(|digest| !seen.insert(digest)) {
                return Err(Error::RepeatedPage { operation });
            }
            let next = advance(&at, &page);
            Ok(Some((
                page.items,
                (next, fetch, advance, seen, fetched + 1),
            )))
        },
    )
}

/// A digest of a page's items, as the server sent them (serialized back): equal pages have
/// equal digests, and different ones collide with a chance of about 2^-64. `None` when the
/// items cannot be serialized (a map with non-string keys): such pages are not compared.
fn digest<T: serde::Serialize>(items: &[T]) -> Option<u64> {
    let bytes = serde_json::to_vec(items).ok()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(hasher.finish())
}

/// Page-numbered pages from page `first` on: `fetch(n)` gets page `n`. Ends after an empty
/// page, at the number of pages the server reports ([`Page::total`]), or when the next page
/// number would not fit in `N`.
pub fn by_page<N, T, E, F, Fut>(
    operation: &'static str,
    first: N,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, Error<E>>>
where
    N: Copy + Into<i64> + TryFrom<i64>,
    T: serde::Serialize,
    F: FnMut(N) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    walk(operation, first, fetch, |page: &N, read: &Page<T>| {
        let page: i64 = (*page).into();
        if read.total.is_some_and(|total| page >= total) {
            return Next::End;
        }
        step(page.checked_add(1))
    })
}

/// Pages by item offset from `start` on: `fetch(offset)` gets the page whose first item is
/// number `offset` (counted from 0); the next offset is this one plus the items read, so
/// pages of any size work. Ends after an empty page, once the offset reaches the number of
/// items the server reports ([`Page::total`]), or when it would not fit in `N`.
pub fn by_offset<N, T, E, F, Fut>(
    operation: &'static str,
    start: N,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, Error<E>>>
where
    N: Copy + Into<i64> + TryFrom<i64>,
    T: serde::Serialize,
    F: FnMut(N) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    walk(operation, start, fetch, |offset: &N, read: &Page<T>| {
        let read_count = i64::try_from(read.items.len()).ok();
        let next = read_count.and_then(|n| (*offset).into().checked_add(n));
        match next {
            Some(next) if read.total.is_some_and(|total| next >= total) => Next::End,
            next => step(next),
        }
    })
}

/// `Next::At` the position when it fits in `N`, else the end.
fn step<N: TryFrom<i64>, E>(next: Option<i64>) -> Next<N, E> {
    match next.and_then(|n| N::try_from(n).ok()) {
        Some(n) => Next::At(n),
        None => Next::End,
    }
}

/// Pages by cursor: `fetch(None)` (or `fetch(start)`) gets the first page, then
/// `fetch(Some(cursor))` the page after the cursor the previous page gave
/// ([`Page::next_cursor`]). Ends after an empty page or a page with no (or an empty) next
/// cursor. A cursor already seen in this walk ends it with [`Error::RepeatedCursor`] for
/// `operation` (its id), after the page that gave it, instead of fetching a page again.
pub fn by_cursor<T, E, F, Fut>(
    operation: &'static str,
    start: Option<String>,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, Error<E>>>
where
    T: serde::Serialize,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    let mut seen: HashSet<String> = start.iter().cloned().collect();
    walk(
        operation,
        start,
        fetch,
        move |_: &Option<String>, read: &Page<T>| match read
            .next
            .as_deref()
            .filter(|c| !c.is_empty())
        {
            None => Next::End,
            Some(cursor) if !seen.insert(cursor.to_owned()) => {
                Next::Fail(Error::RepeatedCursor { operation })
            }
            Some(cursor) => Next::At(Some(cursor.to_owned())),
        },
    )
}

/// The items of a stream of pages, in order; the first error ends it.
pub fn items<T, E>(
    pages: impl Stream<Item = Result<Vec<T>, Error<E>>>,
) -> impl Stream<Item = Result<T, Error<E>>> {
    pages
        .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
}

/// At most `limit` items of `items`, in order. Stops fetching as soon as it has them (the
/// page holding the last one is the last fetched); the first error is returned instead.
pub async fn collect<T, E>(
    items: impl Stream<Item = Result<T, Error<E>>>,
    limit: usize,
) -> Result<Vec<T>, Error<E>> {
    items.take(limit).try_collect().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    type Fetched = Arc<AtomicUsize>;
    type Answer = std::future::Ready<Result<Page<u32>, Error<()>>>;

    /// A server of `pages` (page n at index n - 1) that counts the requests it gets.
    fn numbered(pages: Vec<Vec<u32>>, total: Option<i64>) -> (Fetched, impl FnMut(i64) -> Answer) {
        let count = Fetched::default();
        let seen = count.clone();
        let fetch = move |n: i64| {
            seen.fetch_add(1, Ordering::SeqCst);
            let items = pages.get(n as usize - 1).cloned().unwrap_or_default();
            std::future::ready(Ok(Page::new(items).total(total)))
        };
        (count, fetch)
    }

    #[tokio::test]
    async fn nothing_is_fetched_until_polled_and_dropping_stops() {
        let (count, fetch) = numbered(vec![vec![1, 2], vec![3, 4], vec![5]], None);
        let stream = items(by_page("op", 1_i64, fetch));
        assert_eq!(count.load(Ordering::SeqCst), 0);
        let first: Vec<u32> = stream.take(3).try_collect().await.unwrap();
        assert_eq!(first, [1, 2, 3]);
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn page_numbers_stop_at_the_reported_total_or_an_empty_page() {
        let (count, fetch) = numbered(vec![vec![1], vec![2], vec![3]], Some(2));
        let all = collect(items(by_page("op", 1_i64, fetch)), usize::MAX).await;
        assert_eq!(all.unwrap(), [1, 2]);
        assert_eq!(count.load(Ordering::SeqCst), 2);
        let (count, fetch) = numbered(vec![vec![1], vec![2]], None);
        let all = collect(items(by_page("op", 1_i64, fetch)), usize::MAX).await;
        assert_eq!(all.unwrap(), [1, 2]);
        assert_eq!(
            count.load(Ordering::SeqCst),
            3,
            "the empty third page ends it"
        );
    }

    #[tokio::test]
    async fn a_page_number_that_overflows_its_type_ends_the_walk() {
        let fetch = |n: i32| std::future::ready(Ok::<_, Error<()>>(Page::new(vec![n])));
        let all = collect(items(by_page("op", i32::MAX - 1, fetch)), usize::MAX).await;
        assert_eq!(all.unwrap(), [i32::MAX - 1, i32::MAX]);
    }

    #[tokio::test]
    async fn offsets_advance_by_the_items_read_and_stop_at_the_total() {
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = asked.clone();
        let fetch = move |offset: i64| {
            log.lock().unwrap().push(offset);
            // Pages of three, of five items in all.
            let items: Vec<i64> = (offset..5.min(offset + 3)).collect();
            std::future::ready(Ok::<_, Error<()>>(Page::new(items).total(Some(5))))
        };
        let all = collect(items(by_offset("op", 0_i64, fetch)), usize::MAX).await;
        assert_eq!(all.unwrap(), [0, 1, 2, 3, 4]);
        assert_eq!(*asked.lock().unwrap(), [0, 3]);
    }

    #[tokio::test]
    async fn cursors_end_when_absent_and_fail_when_repeated() {
        let fetch = |cursor: Option<String>| {
            let (items, next) = match cursor.as_deref() {
                None => (vec![1], Some("b")),
                Some("b") => (vec![2], Some("")),
                _ => (vec![9], None),
            };
            let page = Page::new(items).next_cursor(next.map(str::to_owned));
            std::future::ready(Ok::<_, Error<()>>(page))
        };
        let op = "listThings";
        let all = collect(items(by_cursor(op, None, fetch)), usize::MAX).await;
        assert_eq!(all.unwrap(), [1, 2]);

        let count = Fetched::default();
        let seen = count.clone();
        let forever = move |_: Option<String>| {
            // Different items on each page: the cursor, not the page, repeats.
            let n = seen.fetch_add(1, Ordering::SeqCst) as u32;
            let page = Page::new(vec![n]).next_cursor(Some("same".to_owned()));
            std::future::ready(Ok::<_, Error<()>>(page))
        };
        let pages: Vec<_> = by_cursor(op, None, forever).collect().await;
        assert_eq!(pages.len(), 3, "two pages, then the error");
        assert!(matches!(
            pages[2],
            Err(Error::RepeatedCursor {
                operation: "listThings",
                ..
            })
        ));
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn the_first_error_is_yielded_and_ends_the_stream() {
        let fetch = |n: i64| {
            std::future::ready(if n == 2 {
                Err(Error::<()>::Request(crate::RequestError::Path("boom")))
            } else {
                Ok(Page::new(vec![n]))
            })
        };
        let all: Vec<_> = items(by_page("op", 1_i64, fetch)).collect().await;
        assert_eq!(all.len(), 2);
        assert!(matches!(all[0], Ok(1)));
        assert!(all[1].is_err());
    }

    /// A server that ignores the position: it answers page 1 (or alternates 1 and 2) while
    /// reporting a million pages.
    #[tokio::test]
    async fn a_repeated_page_ends_every_style_with_an_error() {
        let count = Fetched::default();
        let seen = count.clone();
        let same = move |_: i64| {
            seen.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Ok::<_, Error<()>>(
                Page::new(vec![1_u32, 2, 3]).total(Some(1_000_000)),
            ))
        };
        let pages: Vec<_> = by_page("listThings", 1_i64, same).collect().await;
        assert_eq!(pages.len(), 2, "one page, then the error");
        assert!(matches!(
            pages[1],
            Err(Error::RepeatedPage {
                operation: "listThings"
            })
        ));
        assert_eq!(count.load(Ordering::SeqCst), 2);

        let alternating = |n: i64| {
            let items = if n % 2 == 1 { vec![1_u32] } else { vec![2] };
            std::future::ready(Ok::<_, Error<()>>(Page::new(items).total(Some(1_000_000))))
        };
        let all: Vec<_> = items(by_page("op", 1_i64, alternating)).collect().await;
        assert_eq!(all.len(), 3, "two items, then the error");
        assert!(matches!(all[2], Err(Error::RepeatedPage { .. })));

        let offset_ignored = |_: i64| {
            std::future::ready(Ok::<_, Error<()>>(
                Page::new(vec![7_u32, 8]).total(Some(1_000_000)),
            ))
        };
        let all = collect(items(by_offset("op", 0_i64, offset_ignored)), usize::MAX).await;
        assert!(matches!(all, Err(Error::RepeatedPage { .. })), "{all:?}");

        let mut cursor = 0;
        let cursor_ignored = move |_: Option<String>| {
            cursor += 1;
            let page = Page::new(vec![5_u32]).next_cursor(Some(format!("c{cursor}")));
            std::future::ready(Ok::<_, Error<()>>(page))
        };
        let all = collect(items(by_cursor("op", None, cursor_ignored)), usize::MAX).await;
        assert!(matches!(all, Err(Error::RepeatedPage { .. })), "{all:?}");
    }
}
