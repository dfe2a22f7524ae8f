import { describe, expect, it } from 'vitest';

import { API_SERVER_ANNOTATION } from '@fleetdeck/shared';

import { destinationIndex, mapDestination, normaliseServerUrl } from '../../src/sources/gitops/argocd/destination-map.ts';

const cluster = (name: string, url?: string): { name: string; annotations: Record<string, string> } => ({
  name,
  annotations: url === undefined ? {} : { [API_SERVER_ANNOTATION]: url },
});

describe('normaliseServerUrl', () => {
  it.each([
    ['HTTPS://API.Example.COM:443/', 'https://api.example.com'],
    ['https://api.example.com', 'https://api.example.com'],
    ['https://api.example.com:6443', 'https://api.example.com:6443'],
    ['https://api.example.com:6443//', 'https://api.example.com:6443'],
    ['http://api.example.com:80/', 'http://api.example.com'],
    ['http://api.example.com:443', 'http://api.example.com:443'],
    ['https://rancher.example.com/k8s/clusters/c-AbC12/', 'https://rancher.example.com/k8s/clusters/c-AbC12'],
    ['  https://api.example.com  ', 'https://api.example.com'],
  ])('%s → %s', (raw, want) => {
    expect(normaliseServerUrl(raw)).toBe(want);
  });

  it.each(['not a url', 'api.example.com', 'ftp://api.example.com', ''])('%j is no server URL', (raw) => {
    expect(normaliseServerUrl(raw)).toBeUndefined();
  });
});

describe('mapDestination', () => {
  const index = destinationIndex([
    cluster('prod-us-east', 'https://api.prod-us-east.example.com'),
    cluster('proxied', 'https://rancher.example.com/k8s/clusters/c-1'),
    cluster('no-annotation'),
  ]);

  it('maps a server URL written differently to the annotated cluster', () => {
    expect(mapDestination({ server: 'HTTPS://api.PROD-us-east.example.com:443/' }, index)).toBe('prod-us-east');
    expect(mapDestination({ server: 'https://rancher.example.com:443/k8s/clusters/c-1/' }, index)).toBe('proxied');
  });

  it('leaves unknown servers, the in-cluster server and another path unmapped', () => {
    expect(mapDestination({ server: 'https://kubernetes.default.svc' }, index)).toBeUndefined();
    expect(mapDestination({ server: 'https://api.prod-us-east.example.com:6443' }, index)).toBeUndefined();
    expect(mapDestination({ server: 'https://rancher.example.com/k8s/clusters/c-2' }, index)).toBeUndefined();
    expect(mapDestination({ server: 'garbage' }, index)).toBeUndefined();
  });

  it('maps a destination name equal to an inventory cluster name, and nothing else', () => {
    expect(mapDestination({ name: 'no-annotation' }, index)).toBe('no-annotation');
    expect(mapDestination({ name: 'in-cluster' }, index)).toBeUndefined();
    expect(mapDestination({}, index)).toBeUndefined();
  });

  it('lets the server decide when both are given (as Argo CD does)', () => {
    expect(mapDestination({ server: 'https://unknown.example.com', name: 'no-annotation' }, index)).toBeUndefined();
  });

  it('maps a URL two clusters claim to neither', () => {
    const twice = destinationIndex([cluster('a', 'https://same.example.com'), cluster('b', 'https://same.example.com:443')]);
    expect(mapDestination({ server: 'https://same.example.com' }, twice)).toBeUndefined();
  });

  it('changes its signature exactly when names or URLs change', () => {
    const a = destinationIndex([cluster('x', 'https://x'), cluster('y')]);
    expect(destinationIndex([cluster('y'), cluster('x', 'https://x')]).signature).toBe(a.signature);
    expect(destinationIndex([cluster('x', 'https://x2'), cluster('y')]).signature).not.toBe(a.signature);
    expect(destinationIndex([cluster('x', 'https://x')]).signature).not.toBe(a.signature);
  });
});
