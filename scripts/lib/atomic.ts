export { writeFileAtomic } from '../../reports/atomic.ts';
