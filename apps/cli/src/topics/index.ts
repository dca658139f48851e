export { createTopics } from './create-topics';
