# Starts moto's server (python3 -m moto.server ARGS) with two changes to its DynamoDB, so that it behaves like
# DynamoDB where VoiceDrop relies on it and stays fast as tables grow (see MotoServer):
#
# 1. Requests are handled one at a time. DynamoDB applies each write atomically (condition checked and update
#    applied as one step); moto's threaded server runs requests side by side without locks, so two conditional
#    writes or two counter updates could interleave and both "win".
# 2. A transaction keeps a copy of only the items it touches to roll back, not of the whole table. Moto deep-copies
#    every table a transaction names, once per action: a catalog save (a dozen actions) copied the whole catalog a
#    dozen times, so each save got slower with every model. Tables with a stream keep moto's full copy (a rollback
#    must also take back the stream's records).
import copy as _copy
import sys
import threading
from collections import defaultdict

import moto

print("moto", moto.__version__, flush=True)

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
    if touched is None or table.stream_shard is not None:
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
    try:
        return _transact_write_items(self, transact_items)
    finally:
        _transaction.touched = {}
        _transaction.snapshots = {}


_models.DynamoDBBackend.transact_write_items = _transact

from moto.server import main  # noqa: E402

main(sys.argv[1:])
