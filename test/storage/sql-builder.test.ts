/**
 * The statement builder: one text with `:name` placeholders for both drivers.
 * The contract suite runs every statement on both; this pins the translation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from '../../server/storage/sql.js';

test('numbers named placeholders for PostgreSQL in order of first use, reusing a repeated name', () => {
  const statement = sql<{ site: string; user: string }>('DELETE FROM t WHERE site = :site AND (a = :user OR b = :user)');
  assert.equal(statement.text, 'DELETE FROM t WHERE site = :site AND (a = :user OR b = :user)');
  assert.equal(statement.postgres.text, 'DELETE FROM t WHERE site = $1 AND (a = $2 OR b = $2)');
  assert.deepEqual(statement.postgres.names, ['site', 'user']);
});

test('leaves PostgreSQL casts alone and sorts in byte order on PostgreSQL', () => {
  const statement = sql<{ p: string }>('SELECT x FROM t WHERE starts_with(x, :p::text) ORDER BY x COLLATE BINARY');
  assert.equal(statement.postgres.text, 'SELECT x FROM t WHERE starts_with(x, $1::text) ORDER BY x COLLATE "C"');
  assert.deepEqual(statement.postgres.names, ['p']);
});
