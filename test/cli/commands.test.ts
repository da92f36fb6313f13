import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';

describe('the command index', () => {
  it('names each command as its module does, with its summary, and loads it', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
    expect(commands.map((c) => c.name)).toEqual(['tag', 'predict', 'eval', 'train', 'cv', 'ensemble', 'calibrate', 'serve']);
  });
});
