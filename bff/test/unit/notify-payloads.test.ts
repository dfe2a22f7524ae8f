import { describe, expect, it } from 'vitest';

import { PromotionEvent } from '@fleetdeck/shared';

import { eventId, escapeMrkdwn, payloadFor, rolloutAppPath, rolloutLink, slackPayload } from '../../src/promotion/notify/payloads.ts';

const event: PromotionEvent = {
  id: eventId('waveWaiting|kubefleet-namespaced~fleet-client-a~shop|x|1|prod|before', 'client-a-json'),
  kind: 'waveWaiting',
  at: '2026-11-24T10:00:00.000Z',
  rolloutId: 'kubefleet-namespaced~fleet-client-a~shop',
  rollout: 'shop',
  tenant: 'client-a',
  wave: 'prod',
  text: 'Rollout shop: wave prod is waiting for approval to start.',
  link: 'https://fleet.example.com/rollouts/kubefleet-namespaced~fleet-client-a~shop?readiness=prod',
  clusters: ['prod-us-east', 'prod-us-west'],
};

describe('notification payloads', () => {
  it('event ids are stable per notice and webhook, and differ between webhooks and notices', () => {
    expect(eventId('k', 'a')).toBe(eventId('k', 'a'));
    expect(eventId('k', 'a')).toMatch(/^[0-9a-f]{32}$/);
    expect(eventId('k', 'b')).not.toBe(eventId('k', 'a'));
    expect(eventId('k2', 'a')).not.toBe(eventId('k', 'a'));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(eventId('ab', 'c')).not.toBe(eventId('a', 'bc'));
  });

  it('deep links point at the rollout page, at the wave, under the public URL', () => {
    expect(rolloutAppPath('kubefleet~~web-v3')).toBe('/rollouts/kubefleet~~web-v3');
    expect(rolloutAppPath('kubefleet~~web-v3', 'prod')).toBe('/rollouts/kubefleet~~web-v3?readiness=prod');
    expect(rolloutLink('https://fleet.example.com/', 'kubefleet~~web-v3', 'prod')).toBe(
      'https://fleet.example.com/rollouts/kubefleet~~web-v3?readiness=prod',
    );
  });

  it('the generic JSON payload is the PromotionEvent', () => {
    const sent: unknown = JSON.parse(payloadFor('json', event));
    expect(PromotionEvent.parse(sent)).toEqual(event);
  });

  it('the Slack payload has text and blocks with the deep link as a button and in the text', () => {
    const slack = slackPayload(event);
    expect(JSON.parse(payloadFor('slack', event))).toEqual(slack);
    expect(slack.text).toBe(
      ':hourglass_flowing_sand: Waiting for approval: Rollout shop: wave prod is waiting for approval to start. ' +
        `<${event.link}|Open in Fleetdeck>`,
    );
    expect(slack.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*:hourglass_flowing_sand: Waiting for approval*\nRollout shop: wave prod is waiting for approval to start.',
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Rollout *shop* · tenant client-a · wave prod · clusters: prod-us-east, prod-us-west' }],
      },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open rollout' }, url: event.link }] },
    ]);
  });

  it('escapes Slack control characters and bounds the cluster list', () => {
    expect(escapeMrkdwn('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
    const many = { ...event, text: 'hi <!here>', clusters: Array.from({ length: 25 }, (_, i) => `c-${i}`) };
    const slack = slackPayload(many);
    expect(slack.text).not.toContain('<!here>');
    const context = slack.blocks[1];
    expect(context?.type === 'context' && context.elements[0]!.text).toMatch(/c-19 and 5 more$/);
  });
});
