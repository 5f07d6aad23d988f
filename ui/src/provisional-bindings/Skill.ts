export type Skill = { id: string; name: string; covers: Array<string> };
