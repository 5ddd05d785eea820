import { describe, expect, it } from 'vitest';
import { camelFromConstant, pluralize, snakeCase, tableName } from './names';

describe('naming', () => {
  it('snake_cases camelCase and acronyms', () => {
    expect(snakeCase('viewCount')).toBe('view_count');
    expect(snakeCase('refProjectId')).toBe('ref_project_id');
    expect(snakeCase('HTTPRequest')).toBe('http_request');
    expect(snakeCase('already_snake')).toBe('already_snake');
  });

  it('pluralizes table names', () => {
    expect(tableName('Space')).toBe('spaces');
    expect(tableName('TaskItem')).toBe('task_items');
    expect(tableName('Category')).toBe('categories');
    expect(tableName('Box')).toBe('boxes');
    expect(pluralize('day')).toBe('days');
  });

  it('does not add a plural ending to words already plural or uncountable, and knows irregular nouns', () => {
    const cases: Record<string, string> = {
      Settings: 'settings',
      UserSettings: 'user_settings',
      Status: 'statuses',
      Person: 'people',
      Child: 'children',
      Category: 'categories',
      Address: 'addresses',
      Data: 'data',
      Metadata: 'metadata',
      Media: 'media',
      Series: 'series',
      News: 'news',
      Analysis: 'analyses',
      Quiz: 'quizzes',
      Canvas: 'canvases',
      Index: 'indexes',
      Schema: 'schemas',
      Virus: 'viruses',
      Photo: 'photos',
      History: 'histories',
    };
    for (const [entity, table] of Object.entries(cases)) expect(tableName(entity), entity).toBe(table);
  });

  it('maps SDL constants to the IR vocabulary', () => {
    expect(camelFromConstant('LAST_WRITE_WINS')).toBe('lastWriteWins');
    expect(camelFromConstant('PULL_ONLY')).toBe('pullOnly');
    expect(camelFromConstant('LWW')).toBe('lww');
  });
});
