export { renderReproduceMarkdown } from './markdown';
export { reproduceStudy, reproduceConfiguration, configurationLabel, REPRODUCE_ASSUMPTIONS, type ReproducedStudy, type ReproducedConfiguration } from './reproduce-study';
export { studyConfigurations, STUDY_PAYLOADS, STUDY_MODELS, STUDY_INSTANCE_TYPES, type StudyConfiguration, type StudyGroup, type StudyPayload } from './study-configurations';
export { writeReproduction } from './write';
