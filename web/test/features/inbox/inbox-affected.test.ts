import { describe, expect, it } from 'vitest';

import { Inbox } from '@fleetdeck/shared';

import { inboxAffected } from '../../../src/features/inbox/inbox-query.ts';
import { summary } from '../../rollouts-fixtures.ts';

const inbox = Inbox.parse({
  items: [{ rolloutId: 'demo~~web-v3', rollout: 'web-v3', wave: 'production', position: 'before', href: '/rollouts/demo~~web-v3' }],
  errors: [],
});
const moving = summary({ name: 'core-stack', state: 'Progressing' });
const waitingForMe = summary({
  name: 'api-v7',
  state: 'AwaitingApproval',
  awaitingApproval: { wave: 'production', position: 'before', canApprove: true },
});
const waitingForOthers = summary({
  name: 'cve',
  state: 'AwaitingApproval',
  awaitingApproval: { wave: 'production', position: 'before', canApprove: false },
});

describe('inboxAffected', () => {
  it('ignores rollouts that neither wait for this person nor are listed', () => {
    expect(inboxAffected(inbox, [{ type: 'upsert', rollout: moving }])).toBe(false);
    expect(inboxAffected(inbox, [{ type: 'upsert', rollout: waitingForOthers }])).toBe(false);
    expect(inboxAffected(inbox, [{ type: 'delete', id: moving.id }])).toBe(false);
  });

  it('refetches for a rollout now waiting for this person, or one it lists changing or going', () => {
    expect(
      inboxAffected(inbox, [
        { type: 'upsert', rollout: moving },
        { type: 'upsert', rollout: waitingForMe },
      ]),
    ).toBe(true);
    expect(inboxAffected(inbox, [{ type: 'upsert', rollout: summary({ name: 'web-v3', state: 'Progressing' }) }])).toBe(true);
    expect(inboxAffected(inbox, [{ type: 'delete', id: 'demo~~web-v3' }])).toBe(true);
  });

  it('refetches when nothing is cached yet', () => {
    expect(inboxAffected(undefined, [{ type: 'upsert', rollout: moving }])).toBe(true);
  });
});
