// Every file of ported GitLab spec cases, by area; test/gitlab-specs.test.ts runs them.
import type { SpecCase } from "./types";
import { yamlProcessorCases } from "./yaml-processor.cases";
import { yamlProcessorJobCases } from "./yaml-processor-jobs.cases";
import { yamlProcessorErrorCases } from "./yaml-processor-errors.cases";
import { yamlProcessorKeywordCases } from "./yaml-processor-keywords.cases";
import { yamlProcessorMiscCases } from "./yaml-processor-misc.cases";
import { jobCases } from "./job.cases";
import { processableCases } from "./processable.cases";
import { rulesCases } from "./rules.cases";
import { needsCases } from "./needs.cases";
import { includeCases } from "./includes.cases";
import { interpolationCases } from "./interpolation.cases";
import { referenceCases } from "./reference.cases";
import { artifactsCacheCases } from "./artifacts-cache.cases";
import { retryCases } from "./retry.cases";
import { keywordCases } from "./keywords.cases";
import { globalCases } from "./global.cases";

export const AREAS: Record<string, readonly SpecCase[]> = {
  "yaml_processor (workflow, warnings, needs, only/except)": yamlProcessorCases,
  "yaml_processor (scripts, images, variables, extends, include)": yamlProcessorJobCases,
  "yaml_processor (environments, needs, dependencies)": yamlProcessorErrorCases,
  "yaml_processor (keyword errors)": yamlProcessorKeywordCases,
  "yaml_processor (when/rules, hidden jobs, anchors, #execute, test_cases/)": yamlProcessorMiscCases,
  "entry/job": jobCases,
  "entry/processable": processableCases,
  "entry/rules": rulesCases,
  "entry/needs, entry/need": needsCases,
  "includes (config, external/*, include rules)": includeCases,
  interpolation: interpolationCases,
  "yaml/tags/reference": referenceCases,
  "entry/artifacts, cache, reports": artifactsCacheCases,
  "entry/retry": retryCases,
  "entry/environment, release, trigger, bridge": keywordCases,
  "entry/root, variables, workflow, default": globalCases,
};
