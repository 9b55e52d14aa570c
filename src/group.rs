//! Grouping: verified links between documents in, groups out.
//!
//! Groups are the connected components of the "is a duplicate of" graph
//! (union-find with path halving and union by size). Similarity is not
//! transitive, so a group may chain (A~B, B~C, A and C far apart); the report
//! scores every member against the group's representative to show that.
//!
//! The representative is the most complete text: the member with the most
//! shingles, then the most words, then the first path in sort order.

/// Union-find over `0..len`.
struct Sets {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Sets {
    fn new(len: usize) -> Self {
        Sets {
            parent: (0..len as u32).collect(),
            size: vec![1; len],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// The components with at least two items of the graph on `0..len` with the
/// given edges. Each component is sorted ascending; components are sorted by
/// their first item. The result does not depend on the order of the edges.
pub fn cluster(len: usize, edges: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut sets = Sets::new(len);
    for &(a, b) in edges {
        sets.union(a, b);
    }
    let mut by_root: Vec<Vec<u32>> = vec![Vec::new(); len];
    for item in 0..len as u32 {
        let root = sets.find(item);
        by_root[root as usize].push(item);
    }
    // Items are pushed in ascending order, so each component is sorted.
    let mut groups: Vec<Vec<u32>> = by_root.into_iter().filter(|g| g.len() > 1).collect();
    groups.sort_unstable_by_key(|group| group[0]);
    groups
}

/// How complete a document's text is, for choosing representatives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Completeness {
    /// Distinct shingles.
    pub shingles: usize,
    /// Words.
    pub words: usize,
}

/// The representative of a sorted group: the most complete member, the
/// earliest (lowest index, i.e. first path) among equals.
pub fn representative(group: &[u32], completeness: impl Fn(u32) -> Completeness) -> u32 {
    let mut best = group[0];
    for &item in &group[1..] {
        if completeness(item) > completeness(best) {
            best = item;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: breadth-first search from every unvisited node.
    fn naive_components(len: usize, edges: &[(u32, u32)]) -> Vec<Vec<u32>> {
        let mut seen = vec![false; len];
        let mut out = Vec::new();
        for start in 0..len {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut component = vec![start as u32];
            let mut queue = vec![start as u32];
            while let Some(node) = queue.pop() {
                for &(a, b) in edges {
                    let other = if a == node {
                        b
                    } else if b == node {
                        a
                    } else {
                        continue;
                    };
                    if !seen[other as usize] {
                        seen[other as usize] = true;
                        component.push(other);
                        queue.push(other);
                    }
                }
            }
            component.sort_unstable();
            if component.len() > 1 {
                out.push(component);
            }
        }
        out
    }

    #[test]
    fn union_find_equals_naive_components() {
        let mut state = 12345_u64;
        let mut next = |bound: u64| {
            state = crate::shingle::mix(state.wrapping_add(1));
            (state % bound) as u32
        };
        for round in 0..200 {
            let len = 1 + next(40) as usize;
            let edges: Vec<(u32, u32)> = (0..next(50))
                .map(|_| (next(len as u64), next(len as u64)))
                .collect();
            let mut reversed = edges.clone();
            reversed.reverse();
            let expected = naive_components(len, &edges);
            assert_eq!(cluster(len, &edges), expected, "round {round}");
            assert_eq!(cluster(len, &reversed), expected, "round {round}, reversed");
        }
    }

    #[test]
    fn most_complete_member_represents() {
        let sizes = [(10, 50), (30, 60), (30, 70), (30, 70)];
        let pick = |group: &[u32]| {
            representative(group, |i| Completeness {
                shingles: sizes[i as usize].0,
                words: sizes[i as usize].1,
            })
        };
        assert_eq!(pick(&[0, 1, 2, 3]), 2);
        assert_eq!(pick(&[0, 1]), 1);
    }
}
