//! Fixed-size bit sets over the matrix's slots (pods, nodes, the external address), the
//! representation every compiled selector and rule is reduced to so that a connectivity matrix
//! is word-wide unions and intersections instead of per-pair selector evaluation.

/// A set of slot indices below a fixed length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    /// The empty set over `len` slots.
    pub(crate) fn new(len: usize) -> BitSet {
        BitSet { words: vec![0; len.div_ceil(64)] }
    }

    /// The set of every slot below `len`.
    pub(crate) fn full(len: usize) -> BitSet {
        let mut words = vec![u64::MAX; len.div_ceil(64)];
        if let Some(last) = words.last_mut().filter(|_| len % 64 != 0) {
            *last = (1 << (len % 64)) - 1;
        }
        BitSet { words }
    }

    /// Adds `i`.
    pub(crate) fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Whether `i` is in the set.
    pub(crate) fn contains(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// Adds every member of `other` (same length).
    pub(crate) fn union_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Keeps only the members also in `other` (same length).
    pub(crate) fn intersect_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// Removes every member of `other` (same length).
    pub(crate) fn difference_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The members, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_iterate_in_order_across_words() {
        let mut set = BitSet::new(200);
        for i in [0, 63, 64, 130, 199] {
            set.insert(i);
        }
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 63, 64, 130, 199]);
        assert!(set.contains(130) && !set.contains(131));
    }

    #[test]
    fn union_and_intersection_are_word_wise() {
        let mut a = BitSet::new(70);
        let mut b = BitSet::new(70);
        a.insert(1);
        a.insert(65);
        b.insert(65);
        b.insert(69);
        let mut both = a.clone();
        both.intersect_with(&b);
        assert_eq!(both.iter().collect::<Vec<_>>(), [65]);
        a.union_with(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), [1, 65, 69]);
        let mut rest = BitSet::full(70);
        rest.difference_with(&a);
        assert_eq!(rest.iter().count(), 67);
        assert!(!rest.contains(65) && !rest.contains(69) && rest.contains(68));
    }

    #[test]
    fn full_has_exactly_len_members() {
        assert_eq!(BitSet::full(64).iter().count(), 64);
        assert_eq!(BitSet::full(65).iter().collect::<Vec<_>>().last(), Some(&64));
        assert_eq!(BitSet::full(0).iter().count(), 0);
    }
}
