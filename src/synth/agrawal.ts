import type { Row } from '../types';
import type { Uniform } from '../stream/rng';
import { randInt, type SynthConcept, type SynthDefinition, type SynthSample } from './concept';

type Person = { salary: number; commission: number; age: number; elevel: number; car: number; zipcode: number; hvalue: number; hyears: number; loan: number };

const between = (v: number, lo: number, hi: number) => lo <= v && v <= hi;

/** The ten functions of Agrawal et al. (1993), 1-based as in the paper: true = group A = label 1. */
export const AGRAWAL_FUNCTIONS: readonly ((p: Person) => boolean)[] = [
  // F1: age only.
  (p) => p.age < 40 || p.age >= 60,
  // F2: age and salary.
  (p) => (p.age < 40 ? between(p.salary, 50e3, 100e3) : p.age < 60 ? between(p.salary, 75e3, 125e3) : between(p.salary, 25e3, 75e3)),
  // F3: age and education level.
  (p) => (p.age < 40 ? p.elevel <= 1 : p.age < 60 ? p.elevel >= 1 && p.elevel <= 3 : p.elevel >= 2),
  // F4: age, education level and salary.
  (p) => {
    if (p.age < 40) return p.elevel <= 1 ? between(p.salary, 25e3, 75e3) : between(p.salary, 50e3, 100e3);
    if (p.age < 60) return p.elevel >= 1 && p.elevel <= 3 ? between(p.salary, 50e3, 100e3) : between(p.salary, 75e3, 125e3);
    return p.elevel >= 2 ? between(p.salary, 50e3, 100e3) : between(p.salary, 25e3, 75e3);
  },
  // F5: age, salary and loan.
  (p) => {
    if (p.age < 40) return between(p.salary, 50e3, 100e3) ? between(p.loan, 100e3, 300e3) : between(p.loan, 200e3, 400e3);
    if (p.age < 60) return between(p.salary, 75e3, 125e3) ? between(p.loan, 200e3, 400e3) : between(p.loan, 300e3, 500e3);
    return between(p.salary, 25e3, 75e3) ? between(p.loan, 300e3, 500e3) : between(p.loan, 75e3, 300e3);
  },
  // F6: age and total salary.
  (p) => {
    const t = p.salary + p.commission;
    return p.age < 40 ? between(t, 50e3, 100e3) : p.age < 60 ? between(t, 75e3, 125e3) : between(t, 25e3, 75e3);
  },
  // F7–F10: disposable income > 0.
  (p) => (2 * (p.salary + p.commission)) / 3 - p.loan / 5 - 20e3 > 0,
  (p) => (2 * (p.salary + p.commission)) / 3 - 5000 * p.elevel - 20e3 > 0,
  (p) => (2 * (p.salary + p.commission)) / 3 - 5000 * p.elevel - p.loan / 5 - 10e3 > 0,
  (p) => {
    const equity = p.hyears >= 20 ? (p.hvalue * (p.hyears - 20)) / 10 : 0;
    return (2 * (p.salary + p.commission)) / 3 - 5000 * p.elevel + equity / 5 - 10e3 > 0;
  },
];

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/**
 * Agrawal et al. (1993), "Database mining: a performance perspective" (IEEE TKDE 5(6)): nine attributes
 * of a loan applicant — salary U[20k, 150k]; commission 0 when salary ≥ 75k, else U[10k, 75k]; age
 * U{20..80}; elevel U{0..4}; car U{1..20}; zipcode U{0..8}; hvalue (9 − zipcode)·100k·U[0.5, 1.5];
 * hyears U{1..30}; loan U[0, 500k] — and ten functions (1–10, the paper's numbering; River's 0–9),
 * label 1 = the paper's group A. `perturbation` p moves each numeric attribute after labelling by
 * range·U[−p, p] (clamped, age and hyears rounded): feature noise, so the posterior is then not known.
 */
export const AGRAWAL: SynthDefinition = {
  name: 'agrawal',
  title: 'Agrawal et al. (1993): loan applicants, functions 1–10 (1 = age only)',
  functions: 10,
  firstFunction: 1,
  params: {
    perturbation: { kind: 'number', default: 0, min: 0, max: 1, doc: 'feature noise: each numeric attribute moved by range·U[−p, p] after labelling' },
  },
  fields: () => ({ numeric: ['salary', 'commission', 'age', 'hvalue', 'hyears', 'loan'], categorical: ['elevel', 'car', 'zipcode'] }),
  create(params, fn, u: Uniform): SynthConcept {
    const f = AGRAWAL_FUNCTIONS[fn - 1]!;
    const p = params.perturbation as number;
    const perturb = (v: number, lo: number, hi: number) => clamp(v + (hi - lo) * (2 * u() - 1) * p, lo, hi);
    return {
      sample(x): SynthSample {
        const salary = 20e3 + 130e3 * u();
        const commission = salary >= 75e3 ? 0 : 10e3 + 65e3 * u();
        const age = 20 + randInt(u, 61);
        const elevel = randInt(u, 5);
        const car = 1 + randInt(u, 20);
        const zipcode = randInt(u, 9);
        const hvalue = (9 - zipcode) * 100e3 * (0.5 + u());
        const hyears = 1 + randInt(u, 30);
        const loan = 500e3 * u();
        const person: Person = { salary, commission, age, elevel, car, zipcode, hvalue, hyears, loan };
        const y: 0 | 1 = f(person) ? 1 : 0;
        if (p > 0) {
          const k = (9 - zipcode) * 100e3;
          person.salary = perturb(salary, 20e3, 150e3);
          if (commission > 0) person.commission = perturb(commission, 10e3, 75e3);
          person.age = Math.round(perturb(age, 20, 80));
          person.hvalue = perturb(hvalue, 0.5 * k, 1.5 * k);
          person.hyears = Math.round(perturb(hyears, 1, 30));
          person.loan = perturb(loan, 0, 500e3);
        }
        x.salary = person.salary;
        x.commission = person.commission;
        x.age = person.age;
        x.elevel = elevel;
        x.car = car;
        x.zipcode = zipcode;
        x.hvalue = person.hvalue;
        x.hyears = person.hyears;
        x.loan = person.loan;
        return { y, p: p > 0 ? null : y };
      },
      posterior: (x) => (p > 0 ? null : f(x as unknown as Person) ? 1 : 0),
    };
  },
};
