export { nodeFileStore } from './nodeFileStore';
