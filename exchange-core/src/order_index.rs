//! The order index: which arena slot each resting order occupies, by order id.
//!
//! Order ids are assigned one after another, so the index is a table rather than a hash map.
//! Ids are grouped in pages of [`PAGE_IDS`] consecutive ids, each page an array of slots; a
//! lookup is two loads and a compare, with no hashing. A page is freed once none of its
//! orders rests, and the directory of pages only spans the ids from the oldest resting order
//! to the newest, so memory stays bounded by what rests, not by how many orders were ever
//! placed: one pointer per page of ids in that span, plus one page (4 KiB) per page that still
//! has a resting order.

use std::collections::VecDeque;

use crate::book::{Slot, NIL};
use crate::ids::OrderId;
use crate::lookahead::touch;

/// Bits of an order id that select its entry within a page.
const PAGE_BITS: u32 = 10;

/// Consecutive order ids per page.
const PAGE_IDS: usize = 1 << PAGE_BITS;

/// The slots of [`PAGE_IDS`] consecutive order ids.
#[derive(Clone, Debug)]
struct Page {
    /// By id within the page; [`NIL`] where the order does not rest.
    slots: [Slot; PAGE_IDS],
    /// Entries that are not [`NIL`].
    resting: u32,
}

impl Page {
    fn empty() -> Box<Page> {
        Box::new(Page {
            slots: [NIL; PAGE_IDS],
            resting: 0,
        })
    }
}

/// Resting order id to arena slot.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrderIndex {
    /// The page number of `pages[0]`.
    first: u64,
    /// Consecutive pages from `first`; `None` where no order of the page rests. Neither end
    /// is `None`, except that the newest page is kept while empty, because new orders go there.
    pages: VecDeque<Option<Box<Page>>>,
    /// Entries across all pages.
    len: usize,
}

/// An id's page number and its entry within the page.
fn split(id: OrderId) -> (u64, usize) {
    (id.0 >> PAGE_BITS, (id.0 as usize) & (PAGE_IDS - 1))
}

impl OrderIndex {
    /// The slot of a resting order, if it rests.
    #[inline]
    pub(crate) fn get(&self, id: OrderId) -> Option<Slot> {
        let (number, entry) = split(id);
        let at = usize::try_from(number.checked_sub(self.first)?).ok()?;
        let page = self.pages.get(at)?.as_deref()?;
        let slot = page.slots[entry];
        (slot != NIL).then_some(slot)
    }

    /// Starts fetching the entry of `id` into the cache, if its page exists.
    #[inline]
    pub(crate) fn fetch(&self, id: OrderId) {
        let (number, entry) = split(id);
        let Some(at) = number.checked_sub(self.first) else {
            return;
        };
        let Ok(at) = usize::try_from(at) else {
            return;
        };
        if let Some(Some(page)) = self.pages.get(at) {
            touch(&page.slots[entry]);
        }
    }

    /// Records that order `id` rests in `slot`.
    ///
    /// # Panics
    /// If `id` already rests: order ids are unique.
    pub(crate) fn insert(&mut self, id: OrderId, slot: Slot) {
        assert!(slot != NIL, "invariant: a resting order has a slot");
        let (number, entry) = split(id);
        let at = self.page_at(number);
        let page = self.pages[at].get_or_insert_with(Page::empty);
        assert!(page.slots[entry] == NIL, "invariant: order ids are unique");
        page.slots[entry] = slot;
        page.resting += 1;
        self.len += 1;
    }

    /// Forgets a resting order, returning its slot, or `None` if it did not rest.
    pub(crate) fn remove(&mut self, id: OrderId) -> Option<Slot> {
        let (number, entry) = split(id);
        let at = usize::try_from(number.checked_sub(self.first)?).ok()?;
        let page = self.pages.get_mut(at)?.as_deref_mut()?;
        let slot = std::mem::replace(&mut page.slots[entry], NIL);
        if slot == NIL {
            return None;
        }
        page.resting -= 1;
        self.len -= 1;
        if page.resting == 0 && at + 1 < self.pages.len() {
            self.pages[at] = None;
            self.trim_front();
        }
        Some(slot)
    }

    /// How many orders rest.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Where page `number` is in `pages`, extending the directory to reach it.
    fn page_at(&mut self, number: u64) -> usize {
        if self.pages.is_empty() {
            self.first = number;
            self.pages.push_back(None);
            return 0;
        }
        if number < self.first {
            // Only a state restored from an image inserts an id older than every resting one.
            let missing = usize::try_from(self.first - number).expect("limit: pages fit usize");
            (0..missing).for_each(|_| self.pages.push_front(None));
            self.first = number;
            return 0;
        }
        let at = usize::try_from(number - self.first).expect("limit: pages fit usize");
        if at >= self.pages.len() {
            // The newest page was kept while empty; now that a newer one starts, drop it.
            let newest = self.pages.len() - 1;
            if self.pages[newest]
                .as_ref()
                .is_some_and(|page| page.resting == 0)
            {
                self.pages[newest] = None;
            }
            self.pages.resize(at + 1, None);
            self.trim_front();
            return usize::try_from(number - self.first).expect("limit: pages fit usize");
        }
        at
    }

    /// Drops empty directory entries before the oldest page in use.
    fn trim_front(&mut self) {
        while self.pages.len() > 1 && self.pages.front().is_some_and(Option::is_none) {
            self.pages.pop_front();
            self.first += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u64) -> OrderId {
        OrderId(n)
    }

    #[test]
    fn finds_what_was_inserted_and_forgets_what_was_removed() {
        let mut index = OrderIndex::default();
        index.insert(id(1), 7);
        index.insert(id(2), 3);
        assert_eq!(index.get(id(1)), Some(7));
        assert_eq!(index.get(id(2)), Some(3));
        assert_eq!(index.get(id(3)), None);
        assert_eq!(index.len(), 2);
        assert_eq!(index.remove(id(1)), Some(7));
        assert_eq!(index.remove(id(1)), None);
        assert_eq!(index.get(id(1)), None);
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn memory_follows_the_resting_orders_not_every_order_ever_placed() {
        let mut index = OrderIndex::default();
        index.insert(id(5), 0);
        // A million orders come and go while order 5 keeps resting.
        for n in 100..1_000_100 {
            index.insert(id(n), 1);
            assert_eq!(index.remove(id(n)), Some(1));
        }
        assert_eq!(index.pages.iter().filter(|page| page.is_some()).count(), 2);
        assert_eq!(index.len(), 1);
        // Once order 5 goes, the directory shrinks to the newest page.
        assert_eq!(index.remove(id(5)), Some(0));
        assert_eq!(index.pages.len(), 1);
        assert_eq!(index.get(id(5)), None);
    }

    #[test]
    fn accepts_ids_older_than_every_resting_one() {
        let mut index = OrderIndex::default();
        index.insert(id(50_000), 1);
        index.insert(id(3), 2);
        index.insert(id(20_000), 3);
        assert_eq!(index.get(id(3)), Some(2));
        assert_eq!(index.get(id(20_000)), Some(3));
        assert_eq!(index.get(id(50_000)), Some(1));
        assert_eq!(index.get(id(0)), None);
        assert_eq!(index.get(id(u64::MAX)), None);
    }

    #[test]
    #[should_panic(expected = "order ids are unique")]
    fn refuses_an_id_twice() {
        let mut index = OrderIndex::default();
        index.insert(id(9), 1);
        index.insert(id(9), 2);
    }
}
