"""The first few of a long ranking, without sorting all of it.

Each month a municipality picks a few families from many: caseworkers take as many as their
caseload allows, employment measures fill their free places, vacant dwellings go to the
first on the waiting list. The rule is a lexicographic order (``np.lexsort``: the last key
decides first, the first key — a random number — breaks ties). In a national run the
candidates are tens of thousands and the places a few hundred, so :func:`first_in_order`
first keeps only the candidates who could be among the first and sorts those.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

#: Rankings longer than this are cut to their contenders before sorting.
LONG_LIST = 1000


def first_in_order(keys: Sequence[np.ndarray], top: int) -> np.ndarray:
    """Positions of the first ``top`` entries of ``np.lexsort(keys)``, in that order.

    Args:
        keys: equal-length arrays as for :func:`numpy.lexsort` (the last is the primary
            key); all but the first must hold whole numbers (flags, levels, months).
        top: how many places are wanted.

    Returns:
        The same positions as ``np.lexsort(keys)[:top]``. A long list is first cut to the
        entries whose priority (every key but the first) is at least that of the
        ``top``-th best: none of the first ``top`` is lost, and the sort is stable, so
        the order among them is unchanged.
    """
    n = len(keys[0])
    if top <= 0:
        return np.zeros(0, dtype=np.intp)
    if n <= max(LONG_LIST, top) or len(keys) == 1:
        return np.lexsort(keys)[:top]
    code = _priority_code(reversed(keys[1:]))
    contenders = (code <= np.partition(code, top - 1)[top - 1]).nonzero()[0]
    return contenders[np.lexsort([k[contenders] for k in keys])][:top]


def _priority_code(keys: Iterable[np.ndarray]) -> np.ndarray:
    """Whole-number keys, most significant first, as one integer whose order is theirs."""
    digits, sizes = [], []
    for key in keys:
        k = np.asarray(key)
        if k.dtype == bool:  # a flag: a binary digit
            digits.append(k.view(np.uint8))
            sizes.append(2)
            continue
        k = k.astype(np.intp)
        low = k.min()
        digits.append(k - low)
        sizes.append(int(k.max() - low) + 1)
    return np.ravel_multi_index(digits, sizes)


def first_in_groups(keys: Sequence[np.ndarray], groups: np.ndarray, tops: np.ndarray
                    ) -> np.ndarray:
    """Positions of the first ``tops[g]`` entries of each group ``g`` in the order of
    ``np.lexsort(keys)`` (the towns of a batch, each with its own places).

    Within a group the entries keep their order, so each group gets exactly what
    :func:`first_in_order` gives on that group's entries alone.

    Args:
        keys: as for :func:`first_in_order`.
        groups: each entry's group, ``0 .. len(tops) - 1``.
        tops: places per group (zero or negative: none).

    Returns:
        Positions, group by group, each group's in rank order. A long list is first cut,
        group by group, to the entries whose priority is at least that of the group's
        ``tops[g]``-th best (read off a histogram of the priorities), as in
        :func:`first_in_order`.
    """
    if len(groups) == 0:
        return np.zeros(0, dtype=np.intp)
    tops = np.asarray(tops)
    # the group and the whole-number keys as one integer: a sort by two keys instead of many
    priority = (_priority_code(reversed(keys[1:])) if len(keys) > 1
                else np.zeros(len(groups), dtype=np.intp))
    size = int(priority.max()) + 1
    code = groups.astype(np.intp) * size + priority
    rows = None
    if len(groups) > LONG_LIST and len(tops) * size <= 4 * len(groups):
        hist = np.bincount(code, minlength=len(tops) * size).reshape(len(tops), size)
        cut = (hist.cumsum(axis=1) < tops[:, None]).sum(axis=1)  # each group's tops-th best
        rows = (priority <= cut[groups]).nonzero()[0]
        code = code[rows]
    order = np.lexsort((keys[0] if rows is None else keys[0][rows], code))
    g = groups[order] if rows is None else groups[rows[order]]
    starts = np.searchsorted(g, np.arange(len(tops)))
    rank = np.arange(len(order)) - starts[g]
    first = order[rank < tops[g]]
    return first if rows is None else rows[first]
