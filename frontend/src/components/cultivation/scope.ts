// The regions an admin may pick: the whole table for a province-wide admin,
// the subtree of the scope (with the scope itself) for one scoped to a region.

import type { RefNode } from '@/stores/ref'

/** findNode returns the node of code in a tree, or undefined. */
export function findNode(tree: RefNode[], code: string): RefNode | undefined {
  for (const n of tree) {
    if (n.code === code) return n
    const hit = n.children && findNode(n.children, code)
    if (hit) return hit
  }
  return undefined
}

/** scopedTree is the part of the region tree within scope; empty scope means every region. */
export function scopedTree(tree: RefNode[], scope: string | undefined): RefNode[] {
  if (!scope) return tree
  const n = findNode(tree, scope)
  return n ? [n] : []
}
