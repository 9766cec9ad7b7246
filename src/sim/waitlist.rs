//! Waiting list of one capacity pool: FIFO within priority class, crisis
//! first. Entries carry the client's generation so that clients who left the
//! list (reneged, aged out) are skipped lazily instead of searched for.

use std::collections::VecDeque;

#[derive(Clone, Debug, Default)]
pub struct WaitList {
    by_priority: [VecDeque<(u32, u32)>; 3],
}

impl WaitList {
    pub fn clear(&mut self) {
        self.by_priority.iter_mut().for_each(VecDeque::clear);
    }

    pub fn push(&mut self, priority: u8, client: u32, generation: u32) {
        self.by_priority[priority as usize].push_back((client, generation));
    }

    /// Pops the first entry, by priority class, of a class that `admits`,
    /// for which `is_current` holds; stale entries are dropped on the way.
    pub fn pop(
        &mut self,
        admits: impl Fn(u8) -> bool,
        mut is_current: impl FnMut(u32, u32) -> bool,
    ) -> Option<u32> {
        for (priority, queue) in self.by_priority.iter_mut().enumerate() {
            if !admits(priority as u8) {
                continue;
            }
            while let Some((client, generation)) = queue.pop_front() {
                if is_current(client, generation) {
                    return Some(client);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_priority_then_fifo_and_skips_stale() {
        let mut w = WaitList::default();
        w.push(2, 1, 0);
        w.push(2, 2, 0);
        w.push(0, 3, 0);
        w.push(1, 4, 7);
        let current = |c: u32, g: u32| !(c == 4 && g == 7);
        let all = |_: u8| true;
        assert_eq!(
            w.pop(|p| p == 2, current),
            Some(1),
            "only the admitted class"
        );
        assert_eq!(w.pop(all, current), Some(3));
        assert_eq!(w.pop(all, current), Some(2));
        assert_eq!(w.pop(all, current), None);
    }
}
