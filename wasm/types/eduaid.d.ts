// Data shapes of the eduaid JavaScript API (interface.md, "The data contract"): profiles and
// assessments, dropout cases, and the finance requests and answers.
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

// ---- Dropout control (控辍保学) --------------------------------------------------------------

/** A GB/T 2260 region code: six digits, e.g. `"150924"`. */
export type RegionCode = string;
/** `"default"`: a local example serving as the national default; `"unconfirmed"`: no source seen. */
export type Mark = "unconfirmed" | "default";

/** A vulnerable group of children monitored in dropout control (重点关注群体). */
export type ChildGroup =
  | "orphan"
  | "de_facto_unsupported"
  | "disabled"
  | "left_behind"
  | "in_difficulty"
  | "migrant"
  | "involved_in_case";

/**
 * The student of a dropout case (控辍保学对象). Only `student_id` is required; `region`
 * selects the region overlays, `birth_date` lets the case age out at the school-age limit.
 */
export interface Student {
  student_id: string;
  resident_id?: string;
  name?: string;
  birth_date?: IsoDate;
  /** Empty or absent: national policy only. */
  region?: RegionCode;
  school?: string;
  stage?: Stage;
  grade?: number;
  household_statuses?: HouseholdStatus[];
  monitoring_risk_removed?: boolean;
  groups?: ChildGroup[];
}

/** How a case was found (发现途径), tagged by `kind`. */
export type Trigger =
  /** Consecutive school days absent without leave (无故缺勤). */
  | { kind: "absence"; first_absent: IsoDate; school_days: number }
  /** Registry comparison (四查三比对): ever enrolled → suspected dropout, never → out of school. */
  | { kind: "registry"; ever_enrolled: boolean }
  /** Term-start screening (开学初地毯式排查). */
  | { kind: "screening"; term: TermId };

/** What the child is taken to be (认定). */
export type Classification = "suspected_dropout" | "dropout" | "out_of_school";
/** Where a case stands; the last four are closed. */
export type CaseStatus =
  | "persuasion"
  | "home_teaching"
  | "deferred"
  | "transfer_pending"
  | "returned"
  | "exempt"
  | "transferred"
  | "aged_out";
/** The outcome of one persuasion attempt (劝返结果). */
export type PersuasionOutcome = "promised_return" | "refused" | "undecided" | "not_reached";
/** A measure against a guardian (未成年人保护法 art. 118). */
export type GuardianMeasure = "admonishment" | "reprimand" | "family_education_guidance_order";
/** The outcome of the lawsuit (诉讼结果). */
export type CourtOutcome = "mediated" | "judgment" | "withdrawn" | "dismissed";
/** The placement decided by the county expert committee. */
export type Placement = "home_teaching" | "special_school" | "regular_class";
/** Deferred enrolment (延缓入学) or suspension (休学). */
export type DeferralKind = "deferral" | "suspension";

/** One event of a case, tagged by `type`. Every event has a `date`; free-text `note`s are optional. */
export type Event =
  | { type: "opened"; date: IsoDate; trigger: Trigger }
  | { type: "classified"; date: IsoDate; classification: Classification; note?: string }
  | {
      type: "persuasion_attempt";
      date: IsoDate;
      actor: string;
      outcome: PersuasionOutcome;
      /** If given, it must be the current stage. */
      stage?: string;
      document?: string;
      note?: string;
    }
  | { type: "escalated"; date: IsoDate; /** The next enabled stage, never one further. */ to: string; note?: string }
  | { type: "guardian_measure"; date: IsoDate; measure: GuardianMeasure; by: string; note?: string }
  | { type: "court_outcome"; date: IsoDate; outcome: CourtOutcome; return_by?: IsoDate; note?: string }
  | { type: "returned"; date: IsoDate; school?: string; note?: string }
  | { type: "reopened"; date: IsoDate; trigger?: Trigger; reason?: string }
  | { type: "assessed"; date: IsoDate; by: string; placement: Placement; teacher?: string; note?: string }
  | { type: "home_visit"; date: IsoDate; teacher: string; hours?: number; note?: string }
  | { type: "approved_deferral"; date: IsoDate; kind: DeferralKind; until: IsoDate; by: string; note?: string }
  | { type: "resumed"; date: IsoDate; note?: string }
  | { type: "approved_exemption"; date: IsoDate; by: string; note?: string }
  | { type: "transferred"; date: IsoDate; to_school: string; to_region?: RegionCode; note?: string }
  | { type: "receipt_confirmed"; date: IsoDate; by: string }
  | { type: "transfer_unconfirmed"; date: IsoDate }
  | { type: "aged_out"; date: IsoDate };

/** The type of an event. */
export type EventType = Event["type"];

/** One stage (rung) of the persuasion ladder (劝返阶梯). */
export interface LadderStage {
  id: string;
  name_zh: string;
  name_en: string;
  /** The responsible party (责任人). */
  responsible: string;
  deadline_days?: number;
  /** How the stage ends; absent means `deadline`. */
  until?: "deadline" | "court_outcome" | "return";
  comply_days?: number;
  /** Absent means true. */
  enabled?: boolean;
  basis: string;
  source: string;
  mark?: Mark;
  note?: string;
}

/** The ladder in force for a region on the opening date; it stays with the case. */
export interface Ladder {
  from: IsoDate;
  /** The region of the overlay that supplied it; absent for the national ladder. */
  region?: RegionCode;
  source: string;
  mark?: Mark;
  stages: LadderStage[];
}

/** The data of a case (`case.toJSON()`, what `Case.restore` reads): its state is the replay of its events. */
export interface CaseData {
  student: Student;
  opened: IsoDate;
  trigger: Trigger;
  classification: Classification;
  classified_on: IsoDate;
  status: CaseStatus;
  status_since: IsoDate;
  ladder: Ladder;
  /** The current stage (for a closed or suspended case: the stage it stood in). */
  stage: string;
  stage_since: IsoDate;
  stage_deadline?: IsoDate;
  stage_attempts: number;
  attempts: number;
  court_outcome?: { date: IsoDate; outcome: CourtOutcome };
  ages_out_on?: IsoDate;
  placement?: Placement;
  home_teaching?: { since: IsoDate; by: string; teacher?: string; visits_per_week: number; visits: IsoDate[] };
  deferral?: { since: IsoDate; kind: DeferralKind; until: IsoDate; by: string };
  transfer?: { date: IsoDate; to_school: string; to_region?: RegionCode; confirm_by: IsoDate };
  closed_on?: IsoDate;
  reopen_by?: IsoDate;
  reopened: number;
  events: Event[];
}

/** What must happen next on a case (待办). */
export type ActionKind =
  | "persuade"
  | "follow_up"
  | "escalate"
  | "await_court_outcome"
  | "home_visit"
  | "review_deferral"
  | "confirm_receipt"
  | "close_aged_out";

/** One thing due on a case: what, at which stage, by whom, by when, and whether it is late. */
export interface Action {
  kind: ActionKind;
  /** The ladder stage concerned (for `escalate`: the stage to enter). */
  stage?: string;
  responsible: string;
  /** Absent for an open-ended step (awaiting a court, enforcement). */
  due?: IsoDate;
  overdue: boolean;
  days_overdue: number;
  /** A priority case on that day (key group, vulnerable group or key stage). */
  priority: boolean;
  detail: string;
  source: string;
}

/** One attendance record (考勤). */
export interface AttendanceRecord {
  date: IsoDate;
  status: "present" | "absent" | "leave" | "no_school";
}

/** How serious a finding is. */
export type FindingLevel = "home_visit" | "suspected_dropout" | "dropout" | "out_of_school";

/** What detection found about one child; `trigger` opens its case. */
export interface Finding {
  student_id: string;
  level: FindingLevel;
  trigger: Trigger;
  detail: string;
  source: string;
}

/** A child of a registered household, for registry comparison. */
export interface RegisteredChild {
  resident_id: string;
  student_id?: string;
  name?: string;
  birth_date: IsoDate;
  region?: RegionCode;
}

/** One enrolment record (学籍). */
export interface Enrolment {
  resident_id: string;
  status: "enrolled" | "home_teaching" | "deferred" | "exempt" | "left";
}

/** The administrative level a report is due at. */
export type Level = "school" | "county" | "prefecture" | "province";

/** A report a level owes: the next occurrence of a reporting rule. */
export interface ReportDue {
  report: string;
  level: Level;
  name_zh: string;
  name_en: string;
  period_from: IsoDate;
  period_to: IsoDate;
  due: IsoDate;
  due_today: boolean;
  in_period: boolean;
  source: string;
  mark?: Mark;
}

/** Which consolidation rate (巩固率). */
export type CohortKind = "primary" | "junior_middle" | "nine_year";

/** The counts of one cohort. */
export interface CohortCounts {
  entrants: number;
  transferred_out?: number;
  transferred_in?: number;
  deaths?: number;
  graduates: number;
}

/** A ratio as a percentage, rounded to two decimals half away from zero (`"96.45"`, `"95"`). */
export interface Rate {
  numerator: number;
  denominator: number;
  percent: string;
}

/** A consolidation rate compared with its target (target fields absent when none is in force). */
export interface Consolidation {
  kind: CohortKind;
  /** School years are named by the year they start in. */
  graduation_year?: number;
  entry_year?: number;
  rate: Rate;
  /** Percent, e.g. `"95"`. */
  target?: string;
  target_source?: string;
  meets_target?: boolean;
}

// ---- Finance (loans, compensation, public funds, teacher allowances, care) -------------------

/** A month, `YYYY-MM`. */
export type YearMonth = string;

/** The input of `loanSchedule`: one national student-loan contract (国家助学贷款). */
export interface LoanRequest {
  /** Home-area (生源地, the default) or campus (校园地) loan. */
  kind?: "home_area" | "campus";
  /** `higher_vocational` or `undergraduate` (本专科 cap), `masters` or `doctoral` (研究生 cap). */
  stage: Stage;
  /** Fixes the rate, the term and the grace period. */
  contract_date: IsoDate;
  /** The school year of the first principal, by the year it starts in (default from the contract date). */
  first_school_year?: number | null;
  /** Years of study remaining at the contract (学制剩余年限). */
  remaining_study_years: number;
  /** The principal of each school year, first first; `"0.00"` for a year without a loan. */
  principals: Money[];
  /** Equal principal (等额本金, the default) or equal instalments (等额本息). */
  method?: "equal_principal" | "equal_instalments";
  /** The caller's 5-year LPR table (ascending `from`); default the policy's. */
  lpr?: Array<{ from: IsoDate; percent: string }> | null;
  region?: RegionCode | null;
}

/** One loan year of a schedule. */
export interface LoanYear {
  year: number;
  school_year: number;
  from: IsoDate;
  to: IsoDate;
  phase: "study" | "grace" | "repayment";
  disbursed: Money;
  cap?: Money;
  balance: Money;
  interest: Money;
  interest_paid_by: "government" | "student";
  principal_repaid: Money;
  borrower_payment: Money;
  closing_balance: Money;
}

/** The year-by-year schedule of one loan contract. */
export interface LoanSchedule {
  kind: "home_area" | "campus";
  stage: Stage;
  contract_date: IsoDate;
  rate: {
    /** Percent a year, e.g. `"3.15"`. */
    percent: string;
    basis: "lpr_minus_margin" | "benchmark";
    reference_percent: string;
    reference_from: IsoDate;
    reference_source: string;
    margin_basis_points: string | null;
  };
  term_years: number;
  study_years: number;
  grace_years: number;
  repayment_years: number;
  method: "equal_principal" | "equal_instalments";
  years: LoanYear[];
  totals: { principal: Money; government_interest: Money; borrower_interest: Money; borrower_total: Money };
  rounding: string[];
  notes?: string[];
  parameters_used: ParameterUsed[];
}

/** The input of `grassrootsCompensation` (基层就业学费补偿国家助学贷款代偿). */
export interface CompensationRequest {
  /** The stage of graduation: `higher_vocational`, `undergraduate`, `masters` or `doctoral`. */
  stage: Stage;
  mode: "tuition_compensation" | "loan_repayment";
  /** The first day of grassroots service: it fixes the cap. */
  service_start: IsoDate;
  /** The standard length of the degree (学制), years. */
  standard_study_years: number;
  /** The years of study, first to last. */
  years: Array<{ tuition_paid?: Money | null; loan_principal?: Money | null }>;
  region?: RegionCode | null;
}

/** The compensation of one graduate. */
export interface Compensation {
  stage: Stage;
  mode: "tuition_compensation" | "loan_repayment";
  service_start: IsoDate;
  required_service_years: number;
  years: Array<{ year: number; basis: Money; cap: Money; amount: Money }>;
  total: Money;
  instalments: Array<{ service_year: number; from: IsoDate; to: IsoDate; amount: Money }>;
  rounding: string;
  parameters_used: ParameterUsed[];
}

/** One school as the caller reports it for a term. */
export interface School {
  school_id: string;
  /** Regular (default) or special-education school. */
  kind?: "regular" | "special_education";
  location: SchoolLocation;
  primary_pupils?: number;
  junior_middle_pupils?: number;
  /** Disabled pupils in regular classes (随班就读). */
  inclusion_pupils?: number;
  /** Pupils taught at home (送教上门). */
  home_teaching_pupils?: number;
  boarders?: number;
  region?: RegionCode | null;
}

/** The input of `publicFunds`: one term, a list of schools. */
export interface FundsRequest {
  term: TermId;
  region?: RegionCode | null;
  schools: School[];
}

/** One line of a school's funds. */
export interface FundsLine {
  item: "base_primary" | "base_junior_middle" | "small_school_top_up" | "special_education" | "boarding";
  parameter: string;
  pupils: number;
  rate: Money;
  annual: Money;
  term_amount: Money;
}

/** The public funds (生均公用经费) of a list of schools for one term. */
export interface FundsReport {
  term: TermId;
  schools: Array<{
    school_id: string;
    pupils: number;
    funded_pupils: number;
    small_school_floor_applied: boolean;
    lines: FundsLine[];
    annual: Money;
    term_total: Money;
  }>;
  total: Money;
  rounding: string;
  parameters_used: ParameterUsed[];
}

/** One teacher as the caller reports it. */
export interface Teacher {
  teacher_id: string;
  school_location: SchoolLocation;
  /** The remoteness class of the school, as the region labels it (e.g. `"remote"`). */
  remoteness?: string | null;
  recruited_year?: number | null;
  region?: RegionCode | null;
}

/** The input of `teacherAllowances`: a span of months and the teachers. */
export interface AllowanceRequest {
  from_month: YearMonth;
  /** Inclusive. */
  to_month: YearMonth;
  region?: RegionCode | null;
  teachers: Teacher[];
}

/** An allowance granted to a teacher. */
export interface AllowanceLine {
  allowance: string;
  name_zh: string;
  kind: "cash" | "in_kind";
  cadence: "monthly" | "yearly";
  parameter: string;
  basis: string;
  months: number;
  segments: Array<{
    from_month: YearMonth;
    to_month: YearMonth;
    months: number;
    rate: Money;
    effective_from: IsoDate;
    amount: Money;
  }>;
  amount: Money;
}

/** The allowances of a list of teachers over a span of months. */
export interface AllowanceReport {
  from_month: YearMonth;
  to_month: YearMonth;
  teachers: Array<{
    teacher_id: string;
    lines: AllowanceLine[];
    /** With a stable `code`: `school_location_not_covered`, `not_in_force`, ... */
    not_granted: Array<{ allowance: string; code: string; message: string }>;
    cash_total: Money;
    in_kind_total: Money;
  }>;
  cash_total: Money;
  in_kind_total: Money;
  rounding: string;
  parameters_used: ParameterUsed[];
}

/** A care activity (关爱帮扶). */
export type CareActivity =
  | "family_education"
  | "talk"
  | "home_visit"
  | "grades_analysis"
  | "social_practice"
  | "recommended_book"
  | "parent_child_activity"
  | "gratitude_essay"
  | "aid_payment"
  | "home_teaching_visit";

/** The input of `careSchedule`. */
export interface CareRequest {
  /** The eight ones (八个一) or home-delivered teaching (送教上门). */
  plan: "eight_ones" | "home_teaching";
  student_id?: string;
  term: TermId;
  start?: IsoDate | null;
  end?: IsoDate | null;
  /** Periods ended before it are checked. */
  as_of: IsoDate;
  log?: Array<{ activity: CareActivity; date: IsoDate }>;
  region?: RegionCode | null;
}

/** The care schedule of one student for a term. */
export interface CareSchedule {
  student_id: string;
  plan: "eight_ones" | "home_teaching";
  term: TermId;
  start: IsoDate;
  end: IsoDate;
  as_of: IsoDate;
  activities: Array<{
    activity: CareActivity;
    name_zh: string;
    period: "week" | "half_month" | "month" | "term";
    slots: Array<{ from: IsoDate; due: IsoDate; required: number; done: number; status: "done" | "overdue" | "open" | "upcoming" }>;
    required_total: number;
    done_total: number;
  }>;
  overdue: Array<{ activity: CareActivity; from: IsoDate; due: IsoDate; missing: number }>;
  /** Log entries that did not count: `outside_schedule`, `after_as_of` or `not_in_plan`. */
  ignored?: Array<{ index: number; code: string }>;
  parameters_used: ParameterUsed[];
}
