/** The statement builder's lists: one JSON array parameter, an index condition on PostgreSQL. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, sqlEach } from '../../server/storage/sql.js';

test('a JSON list becomes = ANY (ARRAY(...)) on PostgreSQL and stays json_each on SQLite', () => {
  const statement = sql<{ site: string; ids: string }>('SELECT id FROM t WHERE site = :site AND id IN (SELECT value FROM json_each(:ids))');
  assert.equal(statement.text, 'SELECT id FROM t WHERE site = :site AND id IN (SELECT value FROM json_each(:ids))');
  assert.equal(
    statement.postgres.text,
    'SELECT id FROM t WHERE site = $1 AND id = ANY (ARRAY(SELECT json_array_elements_text(CAST($2 AS json))))',
  );
  assert.deepEqual(statement.postgres.names, ['site', 'ids']);
});

test('a statement written for each driver numbers the PostgreSQL text only', () => {
  const statement = sqlEach<{ a: string }>('SELECT :a', 'SELECT CAST(:a AS text)');
  assert.equal(statement.text, 'SELECT :a');
  assert.equal(statement.postgres.text, 'SELECT CAST($1 AS text)');
});
