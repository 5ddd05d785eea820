import { describe, expect, it } from 'vitest';
import * as relations from '../golden/relations/expected/watermelon/index';
import type { Model as CarModel, Org, Settings, Space, Task, User } from '../golden/relations/expected/watermelon/index';
import * as sdl from '../golden/sdl-relations/expected/watermelon/index';
import type { Label, Member, Project, Workspace } from '../golden/sdl-relations/expected/watermelon/index';
import { openDatabase, type AdapterKind } from '../support/watermelon';

// The relation shapes of README "Relations" on real WatermelonDB adapters: trees,
// two relations to one model, lazy-query has-many sides, a cycle of keys, renamed
// properties (README "Names") and an entity named Model.

describe.each<AdapterKind>(['sqlite', 'loki'])('generated relations on %s', (kind) => {
  it('relations golden: tree, assignee/reporter, cycle, renamed properties, entity named Model', async () => {
    const db = openDatabase(kind, relations, kind === 'sqlite' ? ':memory:' : 'relations');
    let root!: Space, child!: Space, alice!: User, bob!: User, task!: Task, org!: Org, settings!: Settings, car!: CarModel;
    await db.write(async () => {
      root = await db.get<Space>('spaces').create((s) => {
        s.name = 'root';
      });
      child = await db.get<Space>('spaces').create((s) => {
        s.name = 'child';
        s.parent.set(root);
      });
      alice = await db.get<User>('users').create((u) => {
        u.email = 'alice';
      });
      bob = await db.get<User>('users').create((u) => {
        u.email = 'bob';
      });
      task = await db.get<Task>('tasks').create((t) => {
        t.title = 't';
        t.tableField = 'kitchen';
        t.space.set(child);
        t.assignee.set(alice);
        t.reporter.set(bob);
      });
      org = await db.get<Org>('orgs').create((o) => {
        o.name = 'acme';
      });
      settings = await db.get<Settings>('settings').create((s) => {
        s.theme = 'dark';
        s.org.set(org);
      });
      await org.update((o) => {
        o.settings.set(settings);
      });
      car = await db.get<CarModel>('car_models').create((m) => {
        m.name = 'T';
      });
    });
    expect((await root.children.fetch()).map((s) => s.id)).toEqual([child.id]);
    expect((await child.parent.fetch())?.id).toBe(root.id);
    expect((await alice.assigned.fetch()).map((t) => t.id)).toEqual([task.id]);
    expect(await alice.reported.fetchCount()).toBe(0);
    expect((await bob.reported.fetch()).map((t) => t.id)).toEqual([task.id]);
    expect((await task.assignee.fetch())?.email).toBe('alice');
    expect((await task.reporter.fetch())?.email).toBe('bob');
    expect(task._raw).toMatchObject({ table: 'kitchen', assignee_id: alice.id, reporter_id: bob.id });
    expect(task.collection.table).toBe('tasks'); // WatermelonDB's own member is untouched
    expect((await org.settings.fetch())?.id).toBe(settings.id);
    expect((await settings.org.fetch())?.id).toBe(org.id);
    expect(car.collection.table).toBe('car_models');
  });

  it('sdl-relations golden: implied keys, a list without a field back, a tree and two relations to one type', async () => {
    const db = openDatabase(kind, sdl, kind === 'sqlite' ? ':memory:' : 'sdl-relations');
    let ws!: Workspace, parent!: Project, sub!: Project, lead!: Member, label!: Label;
    await db.write(async () => {
      ws = await db.get<Workspace>('workspaces').create((w) => {
        w.name = 'w';
      });
      lead = await db.get<Member>('members').create((m) => {
        m.name = 'lead';
      });
      parent = await db.get<Project>('projects').create((p) => {
        p.title = 'parent';
        p.state = 'OPEN';
        p.workspace.set(ws);
        p.lead.set(lead);
      });
      sub = await db.get<Project>('projects').create((p) => {
        p.title = 'sub';
        p.state = 'CLOSED';
        p.workspace.set(ws);
        p.parent.set(parent);
        p.reviewer.set(lead);
      });
      label = await db.get<Label>('labels').create((l) => {
        l.text = 'x';
        l.workspace.set(ws);
      });
    });
    expect((await ws.projects.fetch()).map((p) => p.id).sort()).toEqual([parent.id, sub.id].sort());
    expect((await ws.labels.fetch()).map((l) => l.id)).toEqual([label.id]);
    expect((await parent.children.fetch()).map((p) => p.id)).toEqual([sub.id]);
    expect((await sub.reviewer.fetch())?.id).toBe(lead.id);
    expect(sub._raw).toMatchObject({ workspace_id: ws.id, parent_id: parent.id, reviewer_id: lead.id, lead_id: null });
  });
});
