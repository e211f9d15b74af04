/** The tool-argument form's model: drafts from schemas, coercion and validation messages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draftToValue, fieldKind, initialDraft, valueToDraft } from '../../renderer/src/lib/schema-form.js';

const ORDER = {
  type: 'object',
  properties: {
    customer: { type: 'string', minLength: 2 },
    quantity: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
    size: { type: 'string', enum: ['small', 'medium', 'large'] },
    express: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    address: { type: 'object', properties: { street: { type: 'string' }, zip: { type: 'string' } }, required: ['street'] },
    extra: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
  required: ['customer', 'quantity', 'size'],
};

describe('schema form model', () => {
  it('knows the common field kinds and falls back to JSON for the rest', () => {
    const kinds = Object.fromEntries(Object.entries(ORDER.properties).map(([k, s]) => [k, fieldKind(s)]));
    assert.deepEqual(kinds, {
      customer: 'string',
      quantity: 'integer',
      size: 'enum',
      express: 'boolean',
      tags: 'array',
      address: 'object',
      extra: 'json',
    });
  });

  it('starts from defaults and reports every missing required field', () => {
    const draft = initialDraft(ORDER);
    const { errors } = draftToValue(ORDER, draft);
    assert.deepEqual(errors, { customer: 'Required', size: 'Required' });
  });

  it('coerces a filled draft into arguments, omitting what was left empty', () => {
    const draft = valueToDraft(ORDER, { customer: 'Ada', quantity: 3, size: 'large', tags: ['a', 'b'] });
    const { value, errors } = draftToValue(ORDER, draft);
    assert.deepEqual(errors, {});
    assert.deepEqual(value, { customer: 'Ada', quantity: 3, size: 'large', tags: ['a', 'b'] });
  });

  it("a tool's catastrophic pattern is not run (the server checks it), so the form cannot hang", () => {
    const schema = { type: 'object', properties: { code: { type: 'string', pattern: '^(a|a)*$' } } };
    const started = performance.now();
    const { value, errors } = draftToValue(schema, valueToDraft(schema, { code: `${'a'.repeat(40)}!` }));
    assert.deepEqual(errors, {});
    assert.deepEqual(value, { code: `${'a'.repeat(40)}!` });
    assert.ok(performance.now() - started < 1000);
  });

  it('explains bad numbers, bounds, lengths and nested required fields', () => {
    const draft = valueToDraft(ORDER, { customer: 'A', quantity: 2.5, size: 'small', address: { zip: '123' } }) as Record<string, unknown>;
    const { errors } = draftToValue(ORDER, draft as never);
    assert.deepEqual(errors, { customer: 'At least 2 characters', quantity: 'Enter a whole number', 'address.street': 'Required' });
    const tooMany = draftToValue(ORDER, { ...draft, customer: 'Ada', quantity: '11', address: undefined });
    assert.deepEqual(tooMany.errors, { quantity: 'Must be at most 10' });
    const notNumber = draftToValue(ORDER, { ...draft, customer: 'Ada', quantity: 'abc', address: undefined });
    assert.deepEqual(notNumber.errors, { quantity: 'Enter a number' });
  });

  it('round-trips JSON values through drafts (the JSON tab and the form agree)', () => {
    const args = { customer: 'Bo', quantity: 2, size: 'medium', express: true, address: { street: 'Main St' }, extra: 5 };
    assert.deepEqual(draftToValue(ORDER, valueToDraft(ORDER, args)).value, args);
  });
});
