export type Disease = { latentDays: number; incubationDays: number; asymptomaticShare: number; infectiousDays: number; isolationDays: number };
