# Starts moto's server (python3 -m moto.server ARGS) with two changes to its DynamoDB, so that it behaves like
# DynamoDB where VoiceDrop relies on it and stays fast as tables grow (see MotoServer):
#
# 1. Requests are handled one at a time. DynamoDB applies each write atomically (condition checked and update
#    applied as one step); moto's threaded server runs requests side by side without locks, so two conditional
#    writes or two counter updates could interleave and both "win".
# 2. A transaction keeps a copy of only the items it touches to roll back, not of the whole table. Moto deep-copies
#    every table a transaction names, once per action: a catalog save (a dozen actions) copied the whole catalog a
#    dozen times, so each save got slower with every model. A table with a stream keeps its one stream shard, cut
#    back to its length before the transaction when it is cancelled: moto deep-copied the jobs table and its whole
#    stream on every job transaction (hundreds of MB of growth per test class over a test run), and a rollback
#    to that copy left every open shard iterator (the local runner's stream poller) on a shard no longer written.
# 3. Shard iterators are forgotten once 10,000 newer ones exist (DynamoDB expires them after 15 minutes): moto kept
#    every iterator it ever issued, and a stream poller gets a new one several times a second.
# 4. It exits when the process that started it is gone (its parent pid changes: re-parented to init), so a JVM
#    killed without running its shutdown hooks (SIGKILL, OOM killer, a crashed test fork) leaves no moto behind.
# 5. Only with VOICEDROP_MOTO_INDEXED_QUERIES=true (the catalog benchmark): a Query looks only at the items that can
#    match its partition (see _indexed_query).
import copy as _copy
import os
import sys
import threading
import time
from collections import defaultdict

import moto

print("moto", moto.__version__, flush=True)

_parent = os.getppid()


def _exit_with_parent():
    while True:
        time.sleep(1)
        if os.getppid() != _parent:
            os._exit(0)


threading.Thread(target=_exit_with_parent, name="exit-with-parent", daemon=True).start()

import moto.dynamodb.models as _models  # noqa: E402
from moto.dynamodb.models.dynamo_type import DynamoType  # noqa: E402
from moto.dynamodb.models.table import Table  # noqa: E402
from moto.dynamodb.responses import DynamoHandler  # noqa: E402

_lock = threading.Lock()
_call_action = DynamoHandler.call_action


def _one_at_a_time(self):
    with _lock:
        return _call_action(self)


DynamoHandler.call_action = _one_at_a_time

_transaction = threading.local()


def _snapshot(table):
    touched = getattr(_transaction, "touched", {}).get(table.name)
    if touched is None:
        return _copy.deepcopy(table)
    if table.name in _transaction.snapshots:
        return _transaction.snapshots[table.name]
    snap = _copy.copy(table)
    if table.has_range_key:
        snap.items = defaultdict(dict, {h: dict(v) for h, v in table.items.items()})
    else:
        snap.items = defaultdict(dict, table.items)
    for h, r in touched:
        if table.has_range_key:
            if h in table.items and r in table.items[h]:
                snap.items[h][r] = _copy.deepcopy(table.items[h][r])
        elif h in table.items:
            snap.items[h] = _copy.deepcopy(table.items[h])
    if table.stream_shard is not None:
        _transaction.stream_lengths[table.name] = (table.stream_shard, len(table.stream_shard.items))
    _transaction.snapshots[table.name] = snap
    return snap


class _CopyModule:
    """moto.dynamodb.models' view of the copy module: tables are snapshotted as above, anything else as usual."""

    def __getattr__(self, name):
        return getattr(_copy, name)

    @staticmethod
    def deepcopy(obj, memo=None):
        if isinstance(obj, Table):
            return _snapshot(obj)
        return _copy.deepcopy(obj, memo)


_models.copy = _CopyModule()
_transact_write_items = _models.DynamoDBBackend.transact_write_items


def _transact(self, transact_items):
    touched = {}
    for item in transact_items:
        op_type, op = next(iter(item.items()))
        name = op.get("TableName")
        if name not in self.tables:
            continue
        table = self.tables[name]
        key = op.get("Item", {}) if op_type == "Put" else op.get("Key", {})
        h = DynamoType(key[table.hash_key_attr]) if table.hash_key_attr in key else None
        r = DynamoType(key[table.range_key_attr]) if table.range_key_attr in (key or {}) else None
        touched.setdefault(name, []).append((h, r))
    _transaction.touched = touched
    _transaction.snapshots = {}
    _transaction.stream_lengths = {}
    try:
        return _transact_write_items(self, transact_items)
    except BaseException:
        # moto has put the snapshots back in place of the tables; their shared shards lose the records written since
        for name, (shard, length) in _transaction.stream_lengths.items():
            del shard.items[length:]
            if name in self.tables:
                shard.table = self.tables[name]
        raise
    finally:
        _transaction.touched = {}
        _transaction.snapshots = {}
        _transaction.stream_lengths = {}


_models.DynamoDBBackend.transact_write_items = _transact

import moto.dynamodbstreams.models as _streams  # noqa: E402
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler  # noqa: E402

_streams_call_action = DynamoDBStreamsHandler.call_action


def _streams_one_at_a_time(self):
    # a reader never sees the records of a transaction that is still running (and may be cancelled)
    with _lock:
        return _streams_call_action(self)


DynamoDBStreamsHandler.call_action = _streams_one_at_a_time
_MAX_ITERATORS = 10_000
_get_records = _streams.ShardIterator.get


def _get_forgetting_old_iterators(self, limit=1000):
    result = _get_records(self, limit)
    iterators = self.streams_backend.shard_iterators
    while len(iterators) > _MAX_ITERATORS:
        del iterators[next(iter(iterators))]
    return result


_streams.ShardIterator.get = _get_forgetting_old_iterators

# Moto answers every Query by sorting all items of the table (Table.all_items()) and then keeping those of the
# partition, for a GSI as for the table, so a query's time grows with the table, not with what it reads: at 30,000
# catalog models (680,000 items) 20 clients finished no request in two minutes. With this option a query is given,
# in place of all_items(), only the items of its partition: for the table the items moto keeps under that hash key,
# for a GSI those listed under the queried hash value(s) in a map kept per index, and of those only the stretch
# moto's loop can reach (_window). The candidates are handed over in
# the order moto's own sort would give them (all_items() order, then moto's stable sort), and moto still filters,
# sorts, pages, projects and counts them with its own code, so a response is the same as without the option
# (IndexedQueriesEquivalenceTest). A map lists table keys, not items; every write path ends in Table.put_item,
# Table.delete_item or DynamoDBBackend.update_item (which changes an item in place), and each marks the key it
# touched; a query first re-reads the marked keys from the table as it is then (a cancelled transaction has put a
# snapshot in its place; re-reading covers that too). Opt-in: the test suite runs moto as it is.
def _install_indexed_queries():
    _by_table = {}  # table name -> _TableMaps

    class _TableMaps:
        def __init__(self, created_at):
            self.created_at = created_at
            self.indexes = {}  # hash attribute names -> _IndexMap

    class _IndexMap:
        def __init__(self, table, attrs):
            self.attrs = attrs
            self.keys_by_value = defaultdict(set)  # hash values -> {(table hash, table range)}
            self.value_by_key = {}
            self.sorted = {}  # (hash values, sort attributes) -> the candidates in moto's order
            self.dirty = set()
            for item in _items_of(table):
                self._add(item)

        def _add(self, item):
            key = (item.hash_key, item.range_key)
            values = tuple(item.attrs.get(a) for a in self.attrs)
            if any(v is None for v in values):
                return
            try:
                hash(values)
            except TypeError:  # not a key type: DynamoDB would refuse it, moto keeps it and compares it
                values = None
            self.keys_by_value[values].add(key)
            self.value_by_key[key] = values

        def _remove(self, key):
            values = self.value_by_key.pop(key, _missing)
            if values is not _missing:
                self.keys_by_value[values].discard(key)
                if not self.keys_by_value[values]:
                    del self.keys_by_value[values]

        def refresh(self, table):
            changed = set()  # the hash values whose candidates may differ now (a write of a cache item leaves
            for key in self.dirty:  # the other partitions' sorted candidates as they are)
                changed.add(self.value_by_key.get(key, _missing))
                self._remove(key)
                item = _item_at(table, key)
                if item is not None:
                    self._add(item)
                    changed.add(self.value_by_key.get(key, _missing))
            self.dirty = set()
            changed.discard(_missing)
            if None in changed:  # an unhashable value is a candidate of every query
                self.sorted = {}
            else:
                self.sorted = {k: v for k, v in self.sorted.items() if k[0] not in changed}

        def candidates(self, table, values, sort_attrs):
            """The partition's items in moto's final (ascending) order, and their sort keys."""
            cached = self.sorted.get((values, sort_attrs))
            if cached is None:
                keys = set(self.keys_by_value.get(values, ())) | self.keys_by_value.get(None, set())
                items = [i for i in (_item_at(table, k) for k in keys) if i is not None]
                items = _sorted(items, _all_items_order)
                # moto's sort is stable; sorting the same way here leaves it nothing to reorder (and costs it O(n))
                items = [i for i in items if all(a in i.attrs for a in sort_attrs)]
                items = _sorted(items, lambda x: tuple(x.attrs[a] for a in sort_attrs))
                keys = [tuple(i.attrs[a] for a in sort_attrs) for i in items]
                cached = self.sorted[(values, sort_attrs)] = (items, keys, _RangeValues(keys))
            return cached

    # The part of a partition's sorted items that moto's query loop can look at. The loop skips the items up to
    # ExclusiveStartKey, lets through items before the first match of the range condition (no-ops while it has no
    # result), and stops at the item after its Limit-th result; after the last match it only checks, item by item,
    # whether its results plus that item would pass 1 MB (a LastEvaluatedKey). No item exceeds 405,000 bytes (moto's
    # LimitedSizeDict), so under 595,000 bytes of results the first item after the matches is the only one it needs.
    class _RangeValues:
        """The range key's values as moto compares them (cast_value), worked out at the first range query."""

        def __init__(self, keys):
            self.keys = keys
            self.values = None

        def get(self, rank):
            if self.values is None:
                self.values = [k[rank].cast_value for k in self.keys]
            return self.values

    _BISECTABLE = {"EQ", "=", "LT", "<", "LE", "<=", "GT", ">", "GE", ">=", "BETWEEN", "BEGINS_WITH"}

    def _window(items, keys, range_values, rank, range_comparison, range_objs, limit, esk, sort_attrs, forward):
        n = len(items)
        lo, hi = 0, n
        if range_comparison:
            values = range_values.get(rank)
            bounds = [o.cast_value for o in range_objs]
            kinds = {type(v) for v in values} | {type(b) for b in bounds}
            if range_comparison not in _BISECTABLE or len(kinds) > 1:
                return items  # moto compares them one by one (or fails); let it
            op = range_comparison
            if op in ("EQ", "="):
                lo, hi = bisect.bisect_left(values, bounds[0]), bisect.bisect_right(values, bounds[0])
            elif op in ("LT", "<"):
                hi = bisect.bisect_left(values, bounds[0])
            elif op in ("LE", "<="):
                hi = bisect.bisect_right(values, bounds[0])
            elif op in ("GT", ">"):
                lo = bisect.bisect_right(values, bounds[0])
            elif op in ("GE", ">="):
                lo = bisect.bisect_left(values, bounds[0])
            elif op == "BETWEEN":
                lo, hi = bisect.bisect_left(values, bounds[0]), bisect.bisect_right(values, bounds[1])
            else:
                if not isinstance(bounds[0], str):
                    return items
                p = bounds[0]
                lo = bisect.bisect_left(values, p)
                hi = bisect.bisect_right(values, p, key=lambda v: v[:len(p)])
            hi = max(lo, hi)
        if esk is not None:
            if any(a not in esk for a in sort_attrs):
                return items
            start = tuple(DynamoType(esk[a]) for a in sort_attrs)
        if forward:  # loop order: items[0], items[1], ...
            first = bisect.bisect_right(keys, start) if esk is not None else 0
            w_from, w_to = max(lo, first), max(hi, lo, first)
            trailing = items[w_to:]
        else:  # loop order: items[n-1], items[n-2], ...
            end = bisect.bisect_left(keys, start) if esk is not None else n
            w_from, w_to = lo, min(hi, end)
            if w_to <= w_from:
                return []
            trailing = items[:w_from]
        window = items[w_from:w_to]
        if limit is not None and len(window) > limit:
            return window[:limit + 1] if forward else window[-limit - 1:]
        if not trailing:
            return window
        if sum(i.size() for i in window) + 405000 > RESULT_SIZE_LIMIT:
            return items[w_from:] if forward else items[:w_to]
        return window + trailing[:1] if forward else trailing[-1:] + window

    _missing = object()

    def _sorted(items, key):
        """items sorted by key as moto sorts them, on plain values where that gives the same order: DynamoType
        compares by recomputing its cast_value in Python, a cold 100,000-item partition took tens of seconds."""
        keys = [key(i) for i in items]
        plain = _plain_keys(keys)
        if plain is None:
            return sorted(items, key=key)
        return [items[j] for j in sorted(range(len(items)), key=plain.__getitem__)]

    def _plain_keys(keys):
        # Same order only when each position holds one key type, S or N: DynamoType's == also compares the type,
        # its < only the cast values (a set's < is not even an order), so anything else keeps moto's comparisons.
        if not keys or not all(isinstance(k, tuple) and len(k) == len(keys[0]) for k in keys):
            return None
        types = [set() for _ in keys[0]]
        for k in keys:
            for seen, value in zip(types, k):
                seen.add(value.type if isinstance(value, DynamoType) else None)
        if any(len(seen) != 1 or not seen <= {"S", "N"} for seen in types):
            return None
        return [tuple(value.cast_value for value in k) for k in keys]

    def _all_items_order(x):
        return (x.hash_key, x.range_key) if x.range_key else x.hash_key

    def _items_of(table):
        for hash_set in list(table.items.values()):
            if table.range_key_attr:
                yield from list(hash_set.values())
            else:
                yield hash_set

    def _item_at(table, key):
        h, r = key
        found = table.items.get(h)
        if found is None:
            return None
        if table.range_key_attr:
            return found.get(r)
        return found if isinstance(found, Item) else None

    def _touched(table_name, key):
        maps = _by_table.get(table_name)
        if maps is not None:
            for index in maps.indexes.values():
                index.dirty.add(key)

    def _maps(table):
        maps = _by_table.get(table.name)
        if maps is None or maps.created_at != table.created_at:
            maps = _by_table[table.name] = _TableMaps(table.created_at)
        return maps

    _put = Table.put_item
    _delete = Table.delete_item
    _update = _models.DynamoDBBackend.update_item
    _query = Table.query

    def put_item(self, item_attrs, *args, **kwargs):
        try:
            return _put(self, item_attrs, *args, **kwargs)
        finally:
            try:
                h = DynamoType(item_attrs[self.hash_key_attr])
                r = DynamoType(item_attrs[self.range_key_attr]) if self.range_key_attr else None
            except Exception:  # moto refused the item for it
                pass
            else:
                _touched(self.name, (h, r))

    def delete_item(self, hash_key, range_key, *args, **kwargs):
        try:
            return _delete(self, hash_key, range_key, *args, **kwargs)
        finally:
            _touched(self.name, (hash_key, range_key if self.range_key_attr else None))

    def update_item(self, table_name, key, *args, **kwargs):
        try:
            return _update(self, table_name, key, *args, **kwargs)
        finally:
            table = self.tables.get(table_name)
            if table is not None and table.hash_key_attr in key:
                h = DynamoType(key[table.hash_key_attr])
                r = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
                _touched(table_name, (h, r))

    def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
              projection_expressions, index_name=None, consistent_read=False, filter_expression=None,
              hash_key_conditions=None, range_key_conditions=None, **filter_kwargs):
        candidates = None
        if not index_name:
            if hash_key is not None:
                found = self.items.get(hash_key)
                found = [] if found is None else list(found.values()) if self.range_key_attr else [found]
                candidates = sorted((i for i in found if isinstance(i, Item)), key=_all_items_order)
        elif hash_key_conditions:
            index = {i.name: i for i in self.all_indexes()}.get(index_name)
            if index is not None:
                conditions = dict(hash_key_conditions)
                attrs = tuple(sorted(conditions))
                maps = _maps(self)
                index_map = maps.indexes.get(attrs)
                if index_map is None:
                    index_map = maps.indexes[attrs] = _IndexMap(self, attrs)
                index_map.refresh(self)
                hash_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
                range_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
                if not range_attrs:
                    range_attrs = [self.range_key_attr if isinstance(index, GlobalSecondaryIndex)
                                   and self.range_key_attr else self.hash_key_attr]
                sort_attrs = tuple(self._generate_attr_to_sort_by(hash_attrs + [self.hash_key_attr],
                                                                  range_attrs + [self.range_key_attr]))
                items, keys, range_values = index_map.candidates(self, tuple(conditions[a] for a in attrs), sort_attrs)
                candidates = list(items)
                compared = range_key_conditions[-1][0] if range_key_conditions else range_attrs[0]
                if (not filter_kwargs and len(hash_attrs) == 1 and len(range_key_conditions or []) <= 1
                        and (not range_comparison or (compared == range_attrs[0] == sort_attrs[1]))):
                    candidates = _window(items, keys, range_values, 1, range_comparison, range_objs, limit,
                                         exclusive_start_key, sort_attrs, scan_index_forward is not False)
        if candidates is not None:
            self.all_items = lambda: candidates  # read once by the query below, in place of the whole table
        try:
            return _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                          scan_index_forward, projection_expressions, index_name, consistent_read,
                          filter_expression, hash_key_conditions=hash_key_conditions,
                          range_key_conditions=range_key_conditions, **filter_kwargs)
        finally:
            if candidates is not None:
                del self.all_items

    Table.put_item = put_item
    Table.delete_item = delete_item
    _models.DynamoDBBackend.update_item = update_item
    Table.query = query


if os.environ.get("VOICEDROP_MOTO_INDEXED_QUERIES") == "true":
    import bisect  # noqa: E402

    from moto.dynamodb.models.dynamo_type import Item  # noqa: E402
    from moto.dynamodb.models.table import RESULT_SIZE_LIMIT  # noqa: E402
    from moto.dynamodb.models.table import GlobalSecondaryIndex  # noqa: E402

    _install_indexed_queries()
    print("moto: indexed queries", flush=True)


from moto.server import main  # noqa: E402

main(sys.argv[1:])
