import { parseTimelineNotification, timelineStreamKey } from './timeline-channel';

describe('timeline channel payloads', () => {
  it('names the stream (workspace and customer) and the items that landed', () => {
    expect(parseTimelineNotification('w_1:c_2:cev_3,pEv_4')).toEqual({
      streamKey: timelineStreamKey('w_1', 'c_2'),
      itemIds: ['cev_3', 'pEv_4'],
    });
  });

  it.each(['', 'w_1', 'w_1:c_2', 'w_1:c_2:cev_3:extra'])('ignores the malformed payload %p', (payload) => {
    expect(parseTimelineNotification(payload)).toBeUndefined();
  });
});
