//! The order book: resting orders in price-time priority.
//!
//! Resting orders live in one [`OrderArena`] shared by all tickers, addressed by slot, with
//! an id-to-slot index ([`OrderIndex`]) for cancels and fills. Each ticker's [`Book`] keeps,
//! per side, a `Vec` of price levels sorted so that the best level is last: most activity
//! happens at or near the best price, where inserting or removing a level moves few elements.
//! Within a level, orders form a doubly linked FIFO queue threaded through the arena, so
//! adding, filling and cancelling an order never scans a level. Each account keeps the slots
//! of its resting orders in a `Vec`, for cancel-all and liquidation; an order knows its place
//! there and leaves by a swap-remove, which touches only the account's list and the one
//! order moved into the gap.

use crate::command::Side;
use crate::ids::{AccountId, ClientOrderId, OrderId, TickerId};
use crate::ledger::Ledger;
use crate::lookahead::{touch, Step};
use crate::money::{Price, Quantity};
use crate::order_index::OrderIndex;
use rustc_hash::FxHashMap;

/// Index of an order in the [`OrderArena`].
pub(crate) type Slot = u32;

/// The end of a linked list.
pub(crate) const NIL: Slot = Slot::MAX;

/// An order resting on a book. Exactly one cache line: the deep books that punish a
/// per-level scan also punish an order that straddles two lines. The rarely used client
/// order id lives in the arena's side table, flagged by `has_client_id`.
#[derive(Clone, Debug)]
#[repr(align(64))]
pub(crate) struct RestingOrder {
    pub(crate) id: OrderId,
    pub(crate) account: AccountId,
    pub(crate) ticker: TickerId,
    pub(crate) side: Side,
    pub(crate) price: Price,
    /// Shares still resting; always more than zero.
    pub(crate) remaining: Quantity,
    /// Shares traded since the order was accepted, as taker and as maker.
    pub(crate) filled: Quantity,
    has_client_id: bool,
    level_prev: Slot,
    level_next: Slot,
    /// Where the order is in its account's list of resting orders.
    account_at: u32,
}

impl RestingOrder {
    /// A resting order, not yet linked anywhere.
    pub(crate) fn new(
        id: OrderId,
        account: AccountId,
        ticker: TickerId,
        side: Side,
        price: Price,
        remaining: Quantity,
    ) -> Self {
        assert!(remaining.0 > 0, "invariant: a resting order has shares");
        Self {
            id,
            account,
            ticker,
            side,
            price,
            remaining,
            filled: Quantity::ZERO,
            has_client_id: false,
            level_prev: NIL,
            level_next: NIL,
            account_at: u32::MAX,
        }
    }

    /// The next order in the same price level, in time priority.
    pub(crate) fn level_next(&self) -> Slot {
        self.level_next
    }

    /// Where the order is in its account's list of resting orders.
    pub(crate) fn account_at(&self) -> usize {
        self.account_at as usize
    }
}

/// Storage for every resting order, reusing freed slots.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrderArena {
    slots: Vec<RestingOrder>,
    free: Vec<Slot>,
    index: OrderIndex,
    /// Client order ids of the resting orders that have one.
    client_ids: FxHashMap<OrderId, ClientOrderId>,
}

const _: () = assert!(std::mem::size_of::<RestingOrder>() == 64);

impl OrderArena {
    /// Makes room for `additional` more resting orders and writes a placeholder into every
    /// slot of the room, so that the kernel maps its pages now rather than one fault per 64
    /// orders as the book grows. Slots hold nothing until [`OrderArena::insert`] fills them.
    ///
    /// # Panics
    /// If the arena would then hold more slots than it can address.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let slots = self.slots.len().saturating_add(additional);
        assert!(
            slots < NIL as usize,
            "limit: an arena of {slots} slots does not fit u32"
        );
        self.slots.reserve(additional);
        let placeholder = RestingOrder {
            id: OrderId(0),
            account: AccountId(0),
            ticker: TickerId(0),
            side: Side::Buy,
            price: Price(0),
            remaining: Quantity::ZERO,
            filled: Quantity::ZERO,
            has_client_id: false,
            level_prev: NIL,
            level_next: NIL,
            account_at: u32::MAX,
        };
        for slot in self.slots.spare_capacity_mut() {
            slot.write(placeholder.clone());
        }
    }

    /// How many orders the arena holds room for without growing.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.slots.capacity()
    }

    /// Stores an order, with its client order id if it has one, and indexes it by id.
    pub(crate) fn insert(
        &mut self,
        mut order: RestingOrder,
        client_id: Option<ClientOrderId>,
    ) -> Slot {
        let id = order.id;
        if let Some(client_id) = client_id {
            order.has_client_id = true;
            self.client_ids.insert(id, client_id);
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = order;
                slot
            }
            None => {
                let slot = Slot::try_from(self.slots.len()).expect("limit: arena fits u32 slots");
                assert!(slot != NIL, "limit: arena slot space exhausted");
                self.slots.push(order);
                slot
            }
        };
        self.index.insert(id, slot);
        slot
    }

    /// Forgets an order already unlinked from its level and account lists.
    pub(crate) fn remove(&mut self, slot: Slot) {
        let order = &self.slots[slot as usize];
        assert!(
            order.level_prev == NIL && order.level_next == NIL,
            "invariant: unlinked"
        );
        let removed = self.index.remove(order.id);
        assert_eq!(removed, Some(slot), "invariant: index matches arena");
        if order.has_client_id {
            let removed = self.client_ids.remove(&order.id);
            assert!(
                removed.is_some(),
                "invariant: flagged orders have a client id"
            );
        }
        self.free.push(slot);
    }

    /// A resting order's client order id, if it was placed with one.
    pub(crate) fn client_order_id(&self, order: &RestingOrder) -> Option<ClientOrderId> {
        if !order.has_client_id {
            return None;
        }
        let client_id = self.client_ids.get(&order.id);
        Some(*client_id.expect("invariant: flagged orders have a client id"))
    }

    /// The slot of a resting order.
    pub(crate) fn slot_of(&self, id: OrderId) -> Option<Slot> {
        self.index.get(id)
    }

    /// Starts fetching what `step` covers of resting order `id`, if it rests (see
    /// [`crate::lookahead`]). The steps before it should have been taken a little earlier.
    pub(crate) fn fetch(&self, id: OrderId, step: Step, ledger: &Ledger) {
        if step == Step::Index {
            self.index.fetch(id);
            return;
        }
        let Some(slot) = self.index.get(id) else {
            return;
        };
        let order = self.get(slot);
        if step == Step::Order {
            touch(order);
            return;
        }
        for neighbour in [order.level_prev, order.level_next] {
            if neighbour != NIL {
                touch(self.get(neighbour));
            }
        }
        // Leaving the account's list reads the order's entry and moves its last one.
        if let Some(account) = ledger.get(order.account) {
            if let Some(entry) = account.orders.get(order.account_at()) {
                touch(entry);
            }
            if let Some(&last) = account.orders.last() {
                touch(self.get(last));
            }
        }
    }

    /// A resting order by slot.
    pub(crate) fn get(&self, slot: Slot) -> &RestingOrder {
        &self.slots[slot as usize]
    }

    /// A resting order by slot, to change.
    pub(crate) fn get_mut(&mut self, slot: Slot) -> &mut RestingOrder {
        &mut self.slots[slot as usize]
    }

    /// A resting order by id.
    pub(crate) fn by_id(&self, id: OrderId) -> Option<&RestingOrder> {
        self.slot_of(id).map(|slot| self.get(slot))
    }

    /// How many orders rest, on all books.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    /// Adds an order to its account's list of resting orders.
    pub(crate) fn link_account(&mut self, orders: &mut Vec<Slot>, slot: Slot) {
        let at = u32::try_from(orders.len()).expect("limit: an account's orders fit u32");
        orders.push(slot);
        self.get_mut(slot).account_at = at;
    }

    /// Takes an order out of its account's list of resting orders.
    pub(crate) fn unlink_account(&mut self, orders: &mut Vec<Slot>, slot: Slot) {
        let at = std::mem::replace(&mut self.get_mut(slot).account_at, u32::MAX) as usize;
        assert_eq!(orders.get(at), Some(&slot), "invariant: account list place");
        orders.swap_remove(at);
        if let Some(&moved) = orders.get(at) {
            self.get_mut(moved).account_at = at as u32;
        }
    }
}

/// All resting orders at one price on one side.
#[derive(Clone, Debug)]
pub(crate) struct Level {
    pub(crate) price: Price,
    /// Sum of the remaining quantities of the level's orders.
    pub(crate) quantity: Quantity,
    /// Number of orders in the level; never zero while the level exists.
    pub(crate) orders: u32,
    /// The order with time priority.
    pub(crate) head: Slot,
    tail: Slot,
}

/// One ticker's two sides.
#[derive(Clone, Debug, Default)]
pub(crate) struct Book {
    /// Ascending by price: the best (highest) bid is last.
    bids: Vec<Level>,
    /// Descending by price: the best (lowest) ask is last.
    asks: Vec<Level>,
}

impl Book {
    /// A side's levels, best last.
    fn side(&self, side: Side) -> &Vec<Level> {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }

    fn side_mut(&mut self, side: Side) -> &mut Vec<Level> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    /// A side's levels from the best price outwards.
    pub(crate) fn levels(&self, side: Side) -> impl Iterator<Item = &Level> + '_ {
        self.side(side).iter().rev()
    }

    /// A side's best level.
    pub(crate) fn best(&self, side: Side) -> Option<&Level> {
        self.side(side).last()
    }

    /// Where a price's level is (`Ok`) or would go (`Err`) in a side's sorted levels. The
    /// best level is checked first: it is where almost all fills and many cancels happen.
    fn search(levels: &[Level], side: Side, price: Price) -> Result<usize, usize> {
        if let Some(best) = levels.last() {
            if best.price == price {
                return Ok(levels.len() - 1);
            }
        }
        match side {
            Side::Buy => levels.binary_search_by(|level| level.price.cmp(&price)),
            Side::Sell => levels.binary_search_by(|level| price.cmp(&level.price)),
        }
    }

    /// Appends an order to the back of its price level, creating the level if needed.
    pub(crate) fn push_back(&mut self, arena: &mut OrderArena, slot: Slot) {
        let (side, price, quantity) = {
            let order = arena.get(slot);
            (order.side, order.price, order.remaining)
        };
        let levels = self.side_mut(side);
        let at = match Self::search(levels, side, price) {
            Ok(at) => at,
            Err(at) => {
                let level = Level {
                    price,
                    quantity: Quantity::ZERO,
                    orders: 0,
                    head: NIL,
                    tail: NIL,
                };
                levels.insert(at, level);
                at
            }
        };
        let level = &mut levels[at];
        let old_tail = level.tail;
        {
            let order = arena.get_mut(slot);
            order.level_prev = old_tail;
            order.level_next = NIL;
        }
        if old_tail == NIL {
            level.head = slot;
        } else {
            arena.get_mut(old_tail).level_next = slot;
        }
        level.tail = slot;
        level.orders += 1;
        level.quantity.0 = level
            .quantity
            .0
            .checked_add(quantity.0)
            .expect("limit: shares fit");
    }

    /// Takes an order out of its level, dropping the level when it empties.
    pub(crate) fn unlink(&mut self, arena: &mut OrderArena, slot: Slot) {
        let (side, price, quantity, prev, next) = {
            let order = arena.get_mut(slot);
            let links = (order.level_prev, order.level_next);
            order.level_prev = NIL;
            order.level_next = NIL;
            (order.side, order.price, order.remaining, links.0, links.1)
        };
        let levels = self.side_mut(side);
        let at =
            Self::search(levels, side, price).expect("invariant: a resting order's level exists");
        let level = &mut levels[at];
        if prev == NIL {
            level.head = next;
        } else {
            arena.get_mut(prev).level_next = next;
        }
        if next == NIL {
            level.tail = prev;
        } else {
            arena.get_mut(next).level_prev = prev;
        }
        level.orders -= 1;
        level.quantity.0 = level
            .quantity
            .0
            .checked_sub(quantity.0)
            .expect("invariant: level sum");
        if level.orders == 0 {
            assert_eq!(
                level.quantity,
                Quantity::ZERO,
                "invariant: empty level holds no shares"
            );
            // Levels mostly empty at the best price, the end of the Vec: popping it moves
            // nothing, where a remove would still call memmove.
            if at + 1 == levels.len() {
                levels.pop();
            } else {
                levels.remove(at);
            }
        }
    }

    /// Lowers a resting order's quantity in place, keeping its priority.
    pub(crate) fn reduce(&mut self, arena: &mut OrderArena, slot: Slot, by: Quantity) {
        let order = arena.get_mut(slot);
        order.remaining.0 = order
            .remaining
            .0
            .checked_sub(by.0)
            .expect("invariant: fill <= remaining");
        let (side, price) = (order.side, order.price);
        let levels = self.side_mut(side);
        let at =
            Self::search(levels, side, price).expect("invariant: a resting order's level exists");
        let level = &mut levels[at];
        level.quantity.0 = level
            .quantity
            .0
            .checked_sub(by.0)
            .expect("invariant: level sum");
    }
}
