// Data shapes of the eduaid JavaScript API (interface.md, "The data contract").
//
// This file is spliced into the `.d.ts` that wasm-bindgen generates (see the
// `typescript_custom_section` in wasm/src/lib.rs), so the exported functions and these
// interfaces ship together. Field names are snake_case exactly as in the JSON of every other
// surface; money is a string with exactly two decimals, never a number.

/** Decimal yuan as a string with exactly two decimals, e.g. `"1250.00"`. */
export type Money = string;
/** An ISO date `YYYY-MM-DD`. */
export type IsoDate = string;
/** A school term, `YYYY-autumn` or `YYYY-spring`, e.g. `"2024-autumn"`. */
export type TermId = string;

/** Education stage (学段). */
export type Stage =
  | "preschool"
  | "primary"
  | "junior_middle"
  | "general_high"
  | "secondary_vocational"
  | "higher_vocational"
  | "undergraduate"
  | "masters"
  | "doctoral";
/** Household registration (户籍). */
export type Hukou = "rural" | "urban";
/** A household status (家庭类别). */
export type HouseholdStatus =
  | "lifted_out_of_poverty"
  | "monitored_unstable"
  | "monitored_marginal"
  | "monitored_sudden_hardship"
  | "dibao"
  | "tekun"
  | "orphan"
  | "de_facto_unsupported"
  | "martyr_child"
  | "disabled_parent";
/** Assessed level of family economic difficulty (家庭经济困难等级). */
export type DifficultyLevel = "especially" | "relatively" | "general";
/** Location class of the school (城区 / 镇区 / 乡村). */
export type SchoolLocation = "city" | "town" | "rural";
/** Nutrition-improvement pilot kind (营养改善计划试点). */
export type NutritionPilot = "national" | "local";
/** 中央部属 or local institution. */
export type Institution = "central" | "local";
/** A merit award already granted by selection. */
export type Award =
  | "national_scholarship"
  | "national_encouragement_scholarship"
  | "secondary_vocational_national_scholarship";
/** Language of rendered reason messages. */
export type Lang = "zh" | "en";
/** What a program gives. */
export type Kind = "cash" | "waiver" | "in_kind" | "loan" | "award";

/** The household (家庭) of the student. */
export interface Household {
  statuses: HouseholdStatus[];
  monitoring_risk_removed?: boolean;
}

/** The student's major (专业). */
export interface Major {
  agriculture_related?: boolean;
  performing_arts?: boolean;
}

/**
 * One student (interface.md, "Student profile"). Only `stage`, `grade`, `hukou` and
 * `household` are required; unknown fields are rejected with their path.
 */
export interface Profile {
  student_id?: string;
  resident_id?: string | null;
  birth_date?: IsoDate | null;
  stage: Stage;
  grade: number;
  full_time_formal?: boolean;
  boarding?: boolean;
  hukou: Hukou;
  hukou_region?: string;
  school_region?: string;
  major?: Major;
  disability_grade?: 1 | 2 | 3 | 4 | null;
  household: Household;
  difficulty_level?: DifficultyLevel | null;
  awards?: Award[];
  school_location?: SchoolLocation | null;
  nutrition_pilot?: NutritionPilot | null;
  veteran?: boolean;
  has_fixed_salary?: boolean;
  institution?: Institution;
}

/** Why (or why not): a stable code, its parameters and the message in the asked language. */
export interface Reason {
  code: string;
  params: Record<string, string>;
  message: string;
}

/** One instalment of the school year. */
export interface Payment {
  term: TermId;
  amount: Money;
}

/** A program the student is entitled to. */
export interface Entitlement {
  program: string;
  name_zh: string;
  kind: Kind;
  /** Null when only a region sets the standard and no overlay does. */
  annual_amount: Money | null;
  payments: Payment[];
  school_year_total: Money | null;
  basis: string;
  because: Reason[];
}

/** A program the student is not entitled to, with why not. */
export interface NotEligible {
  program: string;
  because: Reason[];
}

/** The policy an assessment was made under. */
export interface PolicyRef {
  id: string;
  version: IsoDate;
  regions: string[];
  fingerprint: string;
}

/** One line of the receipt: a dated figure the decision read. */
export interface ParameterUsed {
  name: string;
  /** Money as a two-decimal string, other numbers as decimal strings, flags, region lists. */
  value: string | boolean | string[];
  effective_from: IsoDate;
  source: string;
  mark?: "unconfirmed" | "default";
  region?: string;
}

/** The assessment of one profile as of a date (interface.md, "Assessment"). */
export interface Assessment {
  student_id: string;
  as_of: IsoDate;
  policy: PolicyRef;
  difficulty_level: DifficultyLevel | null;
  entitlements: Entitlement[];
  not_eligible: NotEligible[];
  annual_cash_total: Money;
  notes?: Reason[];
  parameters_used: ParameterUsed[];
}

/**
 * The kind of an error. `internal_error` is the binding's own: a defect (a panic caught on
 * a target that can unwind, or a value that failed to serialize), never bad input.
 */
export type ErrorKind =
  | "invalid_input"
  | "policy_error"
  | "policy_not_in_force"
  | "case_error"
  | "internal_error";

/** The body of an error, as in every surface's JSON: `{kind, field, code, message}`. */
export interface ErrorBody {
  kind: ErrorKind;
  /** Path of the offending field, e.g. `household.statuses[1]` (`""` = the whole input). */
  field: string;
  code: string;
  message: string;
}

/** What every function throws: a real `Error` (`name` is `"EduaidError"`). */
export interface EduaidError extends Error {
  name: "EduaidError";
  kind: ErrorKind;
  field: string;
  code: string;
  /** For `policy_error`: the file (or name) given to `withOverlay`. */
  file?: string;
  /** For `policy_error`: the 1-based line of the offending field (0 when unknown). */
  line?: number;
}

/** One item of `evaluateMany`: an assessment or an error, never both. */
export type Envelope = { ok: Assessment } | { error: ErrorBody };

/** One program of the national catalogue. */
export interface ProgramInfo {
  id: string;
  name_zh: string;
  name_en: string;
  kind: Kind;
  schedule: "per_term" | "per_school_day" | "yearly";
  region_basis: "school" | "hukou";
  basis: string;
  /** The profile fields the program reads (paths such as `household.statuses`). */
  inputs: string[];
}

/** One reason code with its templates; `{name}` placeholders are filled from `params`. */
export interface ReasonTemplate {
  code: string;
  en: string;
  zh: string;
}

/** The closed vocabularies of the profile, in the order of interface.md. */
export interface Vocabulary {
  stage: Stage[];
  hukou: Hukou[];
  household_status: HouseholdStatus[];
  difficulty_level: DifficultyLevel[];
  school_location: SchoolLocation[];
  nutrition_pilot: NutritionPilot[];
  institution: Institution[];
  award: Award[];
  /** The highest grade of each stage. */
  max_grade: Record<Stage, number>;
}
