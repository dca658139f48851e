import { ContractViolationError } from './contract-violation.error';
import { inWorkspace, newId, parseWorkspaceId } from './ids';

describe(parseWorkspaceId.name, () => {
  it('takes a w_ id as it is', () => {
    const id = newId('w');
    expect(parseWorkspaceId(id)).toBe(id);
  });

  it.each([undefined, 42, '', 'w_1', newId('c'), `${newId('w')} `])(
    'refuses %p, naming the field',
    (value) => {
      expect(() => parseWorkspaceId(value, '--workspace-id')).toThrow(
        new ContractViolationError('--workspace-id', 'must be a w_ id'),
      );
    },
  );
});

describe(inWorkspace.name, () => {
  it('hands back the same value once its workspaceId is checked', () => {
    const message = { workspaceId: newId('w'), type: 'x' };
    expect(inWorkspace(message)).toBe(message);
  });

  it('refuses a value whose workspaceId is not a w_ id', () => {
    expect(() => inWorkspace({ workspaceId: 'nope' })).toThrow(ContractViolationError);
  });
});
