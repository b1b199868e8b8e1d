//! The Merkle tree of the transparency log, hashed as RFC 9162 §2.1 says:
//! a leaf is `SHA-256(0x00 ‖ data)`, an inner node `SHA-256(0x01 ‖ left ‖
//! right)`, and a tree of n leaves splits at the largest power of two below n.
//!
//! The log never keeps its leaves in memory: it stores the hash of every
//! *perfect* subtree (2^level leaves starting at a multiple of 2^level), and
//! any root or proof is a handful of those. [`needed_for_inclusion`] and
//! [`needed_for_consistency`] say which; [`inclusion_proof`] and
//! [`consistency_proof`] build the proofs from them; [`verify_inclusion`] and
//! [`verify_consistency`] check proofs with nothing but hashes (RFC 9162
//! §2.1.3.2 and §2.1.4.2), as an offline verifier must.
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub type Hash = [u8; 32];

/// A perfect subtree: `2^level` leaves from `index * 2^level`.
pub type Node = (u32, u64);

/// The root of the empty tree: the hash of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two strictly below `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// `[a, b)` as a perfect node, if it is one.
fn perfect(a: u64, b: u64) -> Option<Node> {
    let n = b - a;
    (n.is_power_of_two() && a.is_multiple_of(n)).then(|| (n.trailing_zeros(), a / n))
}

/// The perfect nodes whose hashes make up MTH(D[a:b]).
fn cover(a: u64, b: u64, out: &mut Vec<Node>) {
    if let Some(p) = perfect(a, b) {
        out.push(p);
    } else {
        let k = split(b - a);
        cover(a, a + k, out);
        cover(a + k, b, out);
    }
}

/// MTH(D[a:b]) from perfect-node hashes (`None` if one is missing).
fn mth(a: u64, b: u64, nodes: &HashMap<Node, Hash>) -> Option<Hash> {
    if a == b {
        return Some(empty_root());
    }
    match perfect(a, b) {
        Some(p) => nodes.get(&p).copied(),
        None => {
            let k = split(b - a);
            Some(node_hash(&mth(a, a + k, nodes)?, &mth(a + k, b, nodes)?))
        }
    }
}

/// The perfect nodes the root of a tree of `size` leaves needs.
pub fn needed_for_root(size: u64) -> Vec<Node> {
    let mut out = Vec::new();
    if size > 0 {
        cover(0, size, &mut out);
    }
    out
}

pub fn root(size: u64, nodes: &HashMap<Node, Hash>) -> Option<Hash> {
    mth(0, size, nodes)
}

/// RFC 9162 §2.1.3.1 PATH(m, D[a:b]) as the ranges whose hashes it lists.
fn path_ranges(m: u64, a: u64, b: u64, out: &mut Vec<(u64, u64)>) {
    if b - a <= 1 {
        return;
    }
    let k = split(b - a);
    if m < k {
        path_ranges(m, a, a + k, out);
        out.push((a + k, b));
    } else {
        path_ranges(m - k, a + k, b, out);
        out.push((a, a + k));
    }
}

/// RFC 9162 §2.1.4.1 SUBPROOF(m, D[a:b], first) as ranges.
fn subproof_ranges(m: u64, a: u64, b: u64, first: bool, out: &mut Vec<(u64, u64)>) {
    let n = b - a;
    if m == n {
        if !first {
            out.push((a, b));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof_ranges(m, a, a + k, first, out);
        out.push((a + k, b));
    } else {
        subproof_ranges(m - k, a + k, b, false, out);
        out.push((a, a + k));
    }
}

fn nodes_of(ranges: &[(u64, u64)]) -> Vec<Node> {
    let mut out = Vec::new();
    for &(a, b) in ranges {
        cover(a, b, &mut out);
    }
    out
}

/// The perfect nodes the inclusion proof of leaf `index` in a tree of `size` needs.
pub fn needed_for_inclusion(index: u64, size: u64) -> Vec<Node> {
    let mut r = Vec::new();
    if index < size {
        path_ranges(index, 0, size, &mut r);
    }
    nodes_of(&r)
}

/// The audit path of leaf `index` in the tree of `size` leaves.
pub fn inclusion_proof(index: u64, size: u64, nodes: &HashMap<Node, Hash>) -> Option<Vec<Hash>> {
    if index >= size {
        return None;
    }
    let mut r = Vec::new();
    path_ranges(index, 0, size, &mut r);
    r.into_iter().map(|(a, b)| mth(a, b, nodes)).collect()
}

/// The perfect nodes a consistency proof from `old` to `new` leaves needs.
pub fn needed_for_consistency(old: u64, new: u64) -> Vec<Node> {
    let mut r = Vec::new();
    if 0 < old && old < new {
        subproof_ranges(old, 0, new, true, &mut r);
    }
    nodes_of(&r)
}

/// The proof that the tree of `new` leaves extends the tree of `old` leaves.
pub fn consistency_proof(old: u64, new: u64, nodes: &HashMap<Node, Hash>) -> Option<Vec<Hash>> {
    if old > new {
        return None;
    }
    let mut r = Vec::new();
    if 0 < old && old < new {
        subproof_ranges(old, 0, new, true, &mut r);
    }
    r.into_iter().map(|(a, b)| mth(a, b, nodes)).collect()
}

/// RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` under `root`?
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode, mut r) = (index, size - 1, *leaf);
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && r == *root
}

/// RFC 9162 §2.1.4.2: does `proof` show the tree (`new`, `new_root`) extends
/// (`old`, `old_root`), i.e. the log only grew?
pub fn verify_consistency(old: u64, new: u64, old_root: &Hash, new_root: &Hash, proof: &[Hash]) -> bool {
    if old > new {
        return false;
    }
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    if old == 0 {
        // The empty tree is a prefix of every tree.
        return proof.is_empty() && *old_root == empty_root();
    }
    if proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let (mut fnode, mut snode) = (old - 1, new - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    fr == *old_root && sr == *new_root && snode == 0
}

/// The perfect nodes that appending leaves completes, given the log's size
/// and the hashes of its right edge (`needed_for_root(size)`): each new leaf
/// is a level-0 node, and each pair it completes a node one level up.
pub fn append(size: u64, edge: &HashMap<Node, Hash>, leaves: &[Hash]) -> Option<Vec<(Node, Hash)>> {
    let mut known: HashMap<Node, Hash> =
        needed_for_root(size).into_iter().map(|n| edge.get(&n).map(|h| (n, *h))).collect::<Option<_>>()?;
    let mut out = Vec::new();
    for (i, leaf) in leaves.iter().enumerate() {
        let mut index = size + i as u64;
        let (mut level, mut hash) = (0u32, *leaf);
        known.insert((0, index), hash);
        out.push(((0, index), hash));
        // A right child completes its parent.
        while index & 1 == 1 {
            let left = *known.get(&(level, index - 1))?;
            hash = node_hash(&left, &hash);
            level += 1;
            index >>= 1;
            known.insert((level, index), hash);
            out.push(((level, index), hash));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every perfect node of the tree over `leaves`, computed directly.
    fn all_nodes(leaves: &[Hash]) -> HashMap<Node, Hash> {
        let mut m = HashMap::new();
        let mut level: Vec<Hash> = leaves.to_vec();
        let mut l = 0;
        while !level.is_empty() {
            for (i, h) in level.iter().enumerate() {
                m.insert((l, i as u64), *h);
            }
            level = level.chunks(2).filter(|c| c.len() == 2).map(|c| node_hash(&c[0], &c[1])).collect();
            l += 1;
        }
        m
    }

    /// MTH straight from RFC 9162's definition, over the leaves themselves.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(format!("case LC-2026-{i:06}").as_bytes())).collect()
    }

    #[test]
    fn rfc9162_the_empty_tree_and_one_leaf() {
        assert_eq!(
            crate::chain::hex(&empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // A leaf is hashed with its 0x00 prefix: not the plain SHA-256 of its data.
        assert_ne!(leaf_hash(b""), empty_root());
        assert_eq!(
            crate::chain::hex(&leaf_hash(b"")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn rfc9162_roots_from_perfect_nodes_match_the_definition() {
        for n in 0..40 {
            let l = leaves(n);
            assert_eq!(root(n as u64, &all_nodes(&l)), Some(reference_root(&l)), "n = {n}");
        }
    }

    #[test]
    fn rfc9162_every_inclusion_proof_verifies_and_a_wrong_one_does_not() {
        for n in 1..34u64 {
            let l = leaves(n as usize);
            let nodes = all_nodes(&l);
            let r = reference_root(&l);
            for i in 0..n {
                let need = needed_for_inclusion(i, n);
                let only: HashMap<Node, Hash> = need.iter().map(|k| (*k, nodes[k])).collect();
                let p = inclusion_proof(i, n, &only).expect("the needed nodes suffice");
                assert!(verify_inclusion(i, n, &l[i as usize], &p, &r), "leaf {i} of {n}");
                let other = (i + 1) % n;
                if other != i {
                    assert!(!verify_inclusion(i, n, &l[other as usize], &p, &r), "another leaf {other} at {i} of {n}");
                }
                if let Some(first) = p.first() {
                    let mut bent = p.clone();
                    bent[0] = node_hash(first, first);
                    assert!(!verify_inclusion(i, n, &l[i as usize], &bent, &r), "a changed proof");
                }
            }
        }
    }

    #[test]
    fn rfc9162_every_consistency_proof_verifies_and_a_forked_log_does_not() {
        for new in 1..34u64 {
            let l = leaves(new as usize);
            let nodes = all_nodes(&l);
            let new_root = reference_root(&l);
            for old in 0..=new {
                let old_root = reference_root(&l[..old as usize]);
                let need = needed_for_consistency(old, new);
                let only: HashMap<Node, Hash> = need.iter().map(|k| (*k, nodes[k])).collect();
                let p = consistency_proof(old, new, &only).expect("the needed nodes suffice");
                assert!(verify_consistency(old, new, &old_root, &new_root, &p), "{old} → {new}");
                if old > 0 && old < new {
                    // A fork: the old tree had another leaf at its end.
                    let mut forked = l[..old as usize].to_vec();
                    forked[old as usize - 1] = leaf_hash(b"rewritten");
                    assert!(
                        !verify_consistency(old, new, &reference_root(&forked), &new_root, &p),
                        "fork {old} → {new}"
                    );
                }
            }
        }
    }

    #[test]
    fn appending_completes_exactly_the_perfect_nodes_of_the_bigger_tree() {
        let l = leaves(37);
        let full = all_nodes(&l);
        let mut have: HashMap<Node, Hash> = HashMap::new();
        let mut size = 0u64;
        for batch in [1usize, 2, 5, 8, 0, 21] {
            let new = append(size, &have, &l[size as usize..size as usize + batch]).expect("edge known");
            have.extend(new);
            size += batch as u64;
            assert_eq!(root(size, &have), Some(reference_root(&l[..size as usize])), "size {size}");
        }
        assert_eq!(have, full);
        // Without the right edge nothing can be appended.
        assert_eq!(append(3, &HashMap::new(), &l[3..4]), None);
    }
}
