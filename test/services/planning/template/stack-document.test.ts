import { describe, expect, it } from 'vitest';
import { buildStackDocument, documentsEqual } from '../../../../services/planning/template/stack-document.ts';
import { environment, loadBalancer } from './fixtures.ts';

describe('buildStackDocument', () => {
  it('is deterministic: the same input gives the same bytes', () => {
    const a = buildStackDocument(loadBalancer(), environment());
    const b = buildStackDocument(loadBalancer(), environment());
    expect(a.templateBody).toBe(b.templateBody);
  });

  it('does not depend on the order of the certificate map', () => {
    const a = buildStackDocument(loadBalancer({ certificateARNs: { x: null, y: null } }), environment());
    const b = buildStackDocument(loadBalancer({ certificateARNs: { y: null, x: null } }), environment());
    expect(a.templateBody).toBe(b.templateBody);
  });
});

describe('documentsEqual', () => {
  const doc = buildStackDocument(loadBalancer(), environment());

  it('compares the template as a JSON value, ignoring key order', () => {
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
    };
    const template = reversed(JSON.parse(doc.templateBody)) as typeof doc.template;
    expect(Object.keys(template)[0]).toBe('Outputs');
    expect(documentsEqual(doc, { ...doc, templateBody: JSON.stringify(template) })).toBe(true);
  });

  it('sees template, parameter and tag changes', () => {
    const other = buildStackDocument(loadBalancer({ http2: false }), environment());
    expect(documentsEqual(doc, other)).toBe(false);
    expect(documentsEqual(doc, { ...doc, parameters: { ...doc.parameters, HTTP2: 'false' } })).toBe(false);
    expect(documentsEqual(doc, { ...doc, tags: { ...doc.tags, extra: '' } })).toBe(false);
    expect(documentsEqual(doc, { ...doc, tags: { ...doc.tags } })).toBe(true);
  });

  it('never equals a body that is not JSON', () => {
    expect(documentsEqual(doc, { ...doc, templateBody: 'Resources:\n  LB: {}\n' })).toBe(false);
  });

  it('cares about array order', () => {
    const swapped = JSON.parse(doc.templateBody);
    swapped.Resources.LB.Properties.LoadBalancerAttributes.reverse();
    expect(documentsEqual(doc, { ...doc, templateBody: JSON.stringify(swapped) })).toBe(false);
  });
});
